package io.collectivekv.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The command line that produced a result, as recorded beside it (artifact manifest, quality ledger, bench JSON). */
final class Invocation {
    private Invocation() {}

    /** {@code ckv <command> <flags as typed>}. */
    static String of(CommandSpec spec) {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.get(0).equals(spec.name())) {
            args.remove(0); // the parse result of a subcommand holds the whole command line
        }
        return "ckv " + spec.name() + (args.isEmpty() ? "" : " " + String.join(" ", args));
    }
}
