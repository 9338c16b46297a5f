package io.collectivekv.cli;

import io.collectivekv.artifact.ArtifactException;
import io.collectivekv.cache.CacheFormatException;
import io.collectivekv.data.DataFormatException;
import io.collectivekv.model.ConfigException;
import io.collectivekv.rollout.RolloutException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The project's command line: {@code ckv <command> --help} documents each command and its defaults. */
@Command(
        name = "ckv",
        mixinStandardHelpOptions = true,
        version = "ckv 0.1.0",
        description = "CollectiveKV streaming recommender: run the job locally, train, export, evaluate and size models.",
        subcommands = {RunCommand.class, TrainCommand.class, EvalCommand.class, StreamEvalCommand.class, CacheSizeCommand.class, PoolUsageCommand.class, DemoCommand.class, RolloutCommand.class, ReencodeCommand.class, RollbackCommand.class, TopicsCommand.class, ReplayCommand.class, AuditCommand.class, BenchCommand.class, QualityCommand.class, CommandLine.HelpCommand.class})
public final class CkvCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it directly. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CkvCommand());
        cli.setParameterExceptionHandler(CkvCommand::badFlag);
        cli.setExecutionExceptionHandler(CkvCommand::failed);
        return cli;
    }

    /** A bad flag gets one line and a hint, not the whole usage. */
    private static int badFlag(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("ckv: " + e.getMessage());
        err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        return 2;
    }

    /** Known failures (bad files, configs, artifacts) are one line; anything else keeps its stack trace. */
    private static int failed(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (e instanceof ConfigException || e instanceof DataFormatException || e instanceof ArtifactException
                || e instanceof CacheFormatException || e instanceof UncheckedIOException || e instanceof IOException
                || e instanceof IllegalArgumentException || e instanceof RolloutException) {
            err.println("ckv: " + e.getMessage());
            return 1;
        }
        throw new IllegalStateException(e);
    }
}
