package io.collectivekv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collectivekv.data.SyntheticInteractions;
import io.collectivekv.data.UserSequence;
import io.collectivekv.data.UserSequences;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line end to end on a generated data set: train → export → eval, and its errors. */
class CkvCommandTest {
    private static final Pattern HR10 = Pattern.compile("full ranking:\\s+HR@10 ([0-9.]+)\\s+NDCG@10 ([0-9.]+)");

    @TempDir
    static Path dir;

    static Path data;
    static Path model;
    static Run trained;

    @BeforeAll
    static void trainOnce() throws IOException {
        data = dir.resolve("synthetic.txt");
        writeSasRecFile(new SyntheticInteractions(600, 200, 6, 30, 3L).generate(), data);
        model = dir.resolve("model");
        trained = run("train", "--data", data.toString(), "--out", model.toString(), "--quiet",
                "--d", "32", "--heads", "2", "--d-u", "2", "--pool-size", "64", "--window", "40",
                "--epochs", "4", "--batch-size", "64", "--learning-rate", "0.003", "--negatives", "64", "--max-length", "40");
    }

    @Test
    void trainExportsAnArtifactThatEvalScoresWellAbovePopularity() {
        assertEquals(0, trained.exitCode, trained.err);
        assertTrue(Files.isRegularFile(model.resolve("manifest.json")));
        Run eval = run("eval", "--model", model.toString(), "--data", data.toString());
        assertEquals(0, eval.exitCode, eval.err);
        Matcher m = HR10.matcher(eval.out);
        assertTrue(m.find(), eval.out);
        // Popularity reaches HR@10 ≈ 0.05 on this data; a sequential model must do far better.
        assertTrue(Double.parseDouble(m.group(1)) > 0.3, eval.out);
        assertTrue(Double.parseDouble(m.group(2)) > 0.15, eval.out);
    }

    @Test
    void cacheSizeReportsCompactAndFullBytesPerToken() {
        Run size = run("cache-size", "--model", model.toString());
        assertEquals(0, size.exitCode, size.err);
        assertTrue(size.out.contains("full fp32 K/V cache:              256 bytes per token per layer"), size.out);
        assertTrue(size.out.contains("collective, fp32 user parts:       20 bytes per token per layer (7.81% of full)"), size.out);
    }

    @Test
    void anUnknownFlagIsOneLineWithAHint() {
        Run r = run("train", "--out", dir.resolve("unused").toString(), "--epochz", "3");
        assertEquals(2, r.exitCode);
        assertEquals(List.of("ckv: Unknown options: '--epochz', '3'", "Try 'ckv train --help'."), r.errLines());
    }

    @Test
    void aBadModelValueNamesTheKey() {
        Run r = run("train", "--data", data.toString(), "--out", dir.resolve("x").toString(), "--d-u", "64", "--d", "32");
        assertEquals(1, r.exitCode);
        assertEquals(List.of("ckv: d_u = 64: expected an integer in [1, 31]"), r.errLines());
    }

    @Test
    void aMissingDataFileIsOneLine() {
        Run r = run("eval", "--model", model.toString(), "--data", dir.resolve("nope.txt").toString());
        assertEquals(1, r.exitCode);
        assertEquals(1, r.errLines().size(), r.err);
        assertTrue(r.err.contains("nope.txt") && r.err.contains("no such file"), r.err);
    }

    @Test
    void aMalformedDataFileNamesFileAndLine() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "user,item,timestamp\nu1,i1,100\nu1,i2\n");
        Run r = run("eval", "--model", model.toString(), "--data", bad.toString());
        assertEquals(1, r.exitCode);
        assertEquals(1, r.errLines().size(), r.err);
        assertTrue(r.err.startsWith("ckv: " + bad + ":3: "), r.err);
    }

    @Test
    void aTamperedArtifactIsRefusedNamingTheFile() throws IOException {
        Path copy = dir.resolve("tampered");
        Files.createDirectories(copy);
        try (var files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        byte[] step = Files.readAllBytes(copy.resolve("step.onnx"));
        step[step.length / 2] ^= 1;
        Files.write(copy.resolve("step.onnx"), step);
        Run r = run("eval", "--model", copy.toString(), "--data", data.toString());
        assertEquals(1, r.exitCode);
        assertTrue(r.err.startsWith("ckv: artifact " + copy + ": step.onnx: sha256 mismatch"), r.err);
    }

    private static void writeSasRecFile(UserSequences users, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (UserSequence u : users) {
            u.items().forEach(item -> lines.add(u.userId() + " " + item));
        }
        Files.write(file, lines);
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = CkvCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }
}
