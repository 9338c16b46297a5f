package io.collectivekv.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.data.SyntheticInteractions;
import io.collectivekv.data.UserSequence;
import io.collectivekv.data.UserSequences;
import io.collectivekv.export.ArtifactExport;
import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.SequenceModel;
import io.collectivekv.nn.Weights;
import io.collectivekv.quality.QualityLedger;
import io.collectivekv.quality.QualityRow;
import io.collectivekv.train.TrainedModel;
import io.collectivekv.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on a generated data set: train → export → eval, and its errors. */
class CkvCommandTest {
    private static final Pattern HR10 = Pattern.compile("full ranking:\\s+HR@10 ([0-9.]+)\\s+NDCG@10 ([0-9.]+)");

    @TempDir
    static Path dir;

    static Path data;
    static Path model;

    /**
     * An artifact exported with random weights: the commands are under test here, not training
     * (TrainExportEvalTest in the trainer covers train → export → eval), and no training engine
     * starts in this JVM.
     */
    @BeforeAll
    static void exportOnce() throws IOException {
        UserSequences users = new SyntheticInteractions(600, 200, 6, 30, 3L).generate();
        data = dir.resolve("synthetic.txt");
        writeSasRecFile(users, data);
        model = dir.resolve("model");
        ItemIndex index = ItemIndex.of(users);
        ModelConfig config = new ModelConfig(Encoder.HSTU, KvMode.COLLECTIVE, 32, 2, 2, 2, 64, 40, index.size(), 16);
        Weights weights = Weights.initialise(new SequenceModel(config, 0f).parameters(), 5L);
        ArtifactExport.write(new TrainedModel(config, weights, index, null, 0, 0, TrainingConfig.defaults(), Duration.ZERO), model, Map.of());
    }

    @Test
    void evalPrintsBothProtocolsForEveryEvaluatedUser() {
        CliRun eval = CliRun.of("eval", "--model", model.toString(), "--data", data.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        Matcher m = HR10.matcher(eval.out());
        assertTrue(m.find(), eval.out());
        assertTrue(eval.out().contains("test split, prefill (600 users)"), eval.out());
        assertTrue(eval.out().contains("100 sampled negs:   HR@10 "), eval.out());
    }

    @Test
    void evalRecordsOneLedgerRowPerExperimentAndQualityDrawsTablesAndPlot() throws IOException {
        Path ledger = dir.resolve("quality.json");
        for (int run = 0; run < 2; run++) {
            CliRun eval = CliRun.of("eval", "--model", model.toString(), "--data", data.toString(), "--record", ledger.toString());
            assertEquals(0, eval.exitCode(), eval.err());
        }
        QualityLedger recorded = QualityLedger.read(ledger);
        String dataset = dir.getFileName().toString();
        assertEquals(1, recorded.rows().size(), "the same experiment recorded twice is one row");
        QualityRow row = recorded.rows(dataset).get(0);
        assertEquals(600, row.users());
        assertEquals(4 + 2 * 2 * 4, row.cacheBytesPerTokenPerLayer(), "two 16-bit indices and 2·d_u fp32 floats");
        assertEquals(2 * 32 * 4, row.fullCacheBytesPerTokenPerLayer());
        assertEquals("fp32", row.cachePrecision(), "prefill computes the training function, in fp32");
        assertTrue(row.evalCommand().startsWith("ckv eval --model ") && row.evalCommand().contains("--record"), row.evalCommand());
        assertTrue(recorded.published("ml-1m").size() >= 5, "the published references travel with the ledger");

        Path png = dir.resolve("plots/quality.png");
        CliRun quality = CliRun.of("quality", "--ledger", ledger.toString(), "--plot", png.toString(), "--plot-data", dataset);
        assertEquals(0, quality.exitCode(), quality.err());
        assertTrue(quality.out().contains("| 1 | hstu | collective | 32 | 2 | 64 | " + TrainingConfig.defaults().negatives() + " | " + String.format(java.util.Locale.ROOT, "%.4f", row.hr10())),
                quality.out());
        assertTrue(Files.size(png) > 1000, "a PNG was drawn");
    }

    @Test
    void recordTakesOnlyTheLedgersProtocol() {
        CliRun r = CliRun.of("eval", "--model", model.toString(), "--data", data.toString(), "--split", "validation",
                "--record", dir.resolve("other.json").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("--record takes the test split"), r.err());
    }

    @Test
    void aRowMeasuredThroughAnFp16CacheCostsTheFp16Bytes() {
        Path ledger = dir.resolve("fp16.json");
        CliRun eval = CliRun.of("eval", "--model", model.toString(), "--data", data.toString(), "--path", "step",
                "--cache-precision", "fp16", "--record", ledger.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        QualityRow row = QualityLedger.read(ledger).rows().get(0);
        assertEquals("fp16", row.cachePrecision());
        assertEquals(4 + 2 * 2 * 2, row.measuredCacheBytesPerTokenPerLayer(), "two 16-bit indices and 2·d_u fp16 floats");
        assertEquals(Math.round(1e4 * 12.0 / 256) / 1e4, row.cacheRatio(), 0.0);
        CliRun quality = CliRun.of("quality", "--ledger", ledger.toString());
        assertTrue(quality.out().contains("| 4.69% at fp16 |"), quality.out());
    }

    @Test
    void prefillRefusesACachePrecisionItWouldIgnore() {
        CliRun r = CliRun.of("eval", "--model", model.toString(), "--data", data.toString(), "--cache-precision", "fp16");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("ckv: --cache-precision = fp16: prefill keeps no cache in state; use it with --path step"), r.errLines());
    }

    @Test
    void evalThroughTheStateCodecAndOneStepGivesTheSameFiguresAsPrefill() {
        CliRun prefill = CliRun.of("eval", "--model", model.toString(), "--data", data.toString());
        CliRun step = CliRun.of("eval", "--model", model.toString(), "--data", data.toString(), "--path", "step");
        assertEquals(0, step.exitCode(), step.err());
        assertEquals(figures(prefill.out()), figures(step.out()), "histories are shorter than W here, so prefill and step agree");
    }

    @Test
    void cacheSizeReportsCompactAndFullBytesPerToken() {
        CliRun size = CliRun.of("cache-size", "--model", model.toString());
        assertEquals(0, size.exitCode(), size.err());
        assertTrue(size.out().contains("full fp32 K/V cache:              256 bytes per token per layer"), size.out());
        assertTrue(size.out().contains("collective, fp32 user parts:       20 bytes per token per layer (7.81% of full)"), size.out());
    }

    @Test
    void poolUsageCountsEveryCachedTokenPerLayerAndSide() {
        CliRun usage = CliRun.of("pool-usage", "--model", model.toString(), "--data", data.toString(), "--batch-size", "100");
        assertEquals(0, usage.exitCode(), usage.err());
        assertTrue(usage.out().contains("600 users, their last W = 40 items each"), usage.out());
        Matcher row = Pattern.compile("(?m)^\\s+(\\d)  (key|value)\\s+([0-9,]+)\\s+([0-9,]+)\\s+([0-9,.]+)\\s+([0-9.]+)%$").matcher(usage.out());
        List<String> sides = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        while (row.find()) {
            sides.add(row.group(1) + row.group(2));
            tokens.add(row.group(3));
            int used = Integer.parseInt(row.group(4).replace(",", ""));
            assertTrue(used >= 1 && used <= 64, usage.out());
        }
        assertEquals(List.of("0key", "0value", "1key", "1value"), sides, usage.out());
        assertEquals(1, tokens.size(), "every layer and side caches the same tokens: " + usage.out());
    }

    @Test
    void poolUsageOfAFullModelIsOneLine() throws IOException {
        Path full = dir.resolve("full-model");
        ModelConfig config = ModelArtifact.open(model).config().withKvMode(KvMode.FULL);
        ArtifactExport.write(new TrainedModel(config, Weights.initialise(new SequenceModel(config, 0f).parameters(), 5L),
                ModelArtifact.open(model).itemIndex(), null, 0, 0, TrainingConfig.defaults(), Duration.ZERO), full, Map.of());
        CliRun usage = CliRun.of("pool-usage", "--model", full.toString(), "--data", data.toString());
        assertEquals(1, usage.exitCode());
        assertEquals("ckv: pool usage needs a collective model; this one is full", usage.err().strip());
    }

    @Test
    void onlyAFullModelTrainedOnTheSameItemsCanStartATraining() throws IOException {
        CliRun fromCollective = CliRun.of("train", "--data", data.toString(), "--out", dir.resolve("warm").toString(),
                "--init-from", model.toString(), "--d", "32", "--window", "40");
        assertEquals(1, fromCollective.exitCode());
        assertEquals("ckv: init-from: the model to start from must have kv mode full, it has collective", fromCollective.err().strip());

        Path other = dir.resolve("other.txt");
        writeSasRecFile(new SyntheticInteractions(50, 30, 6, 10, 9L).generate(), other);
        CliRun otherItems = CliRun.of("train", "--data", other.toString(), "--out", dir.resolve("warm").toString(), "--init-from", model.toString());
        assertEquals(1, otherItems.exitCode());
        assertTrue(otherItems.err().strip().matches("ckv: --init-from .*: its item vocabulary differs from .*other.txt's .*"), otherItems.err());
        assertTrue(!Files.exists(dir.resolve("warm")));
    }

    @Test
    void anUnknownFlagIsOneLineWithAHint() {
        CliRun r = CliRun.of("train", "--out", dir.resolve("unused").toString(), "--epochz", "3");
        assertEquals(2, r.exitCode());
        assertEquals(List.of("ckv: Unknown options: '--epochz', '3'", "Try 'ckv train --help'."), r.errLines());
    }

    @Test
    void aBadModelValueNamesTheKey() {
        CliRun r = CliRun.of("train", "--data", data.toString(), "--out", dir.resolve("x").toString(), "--d-u", "64", "--d", "32");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("ckv: d_u = 64: expected an integer in [1, 31]"), r.errLines());
    }

    @Test
    void aBadTrainingValueNamesTheKeyBeforeAnyDataIsRead() {
        CliRun r = CliRun.of("train", "--data", dir.resolve("nope.txt").toString(), "--out", dir.resolve("x").toString(),
                "--balance-loss", "entropy");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("ckv: balance-loss = entropy: expected one of kl, load"), r.errLines());
        assertEquals("", r.out());
    }

    @Test
    void aMissingDataFileIsOneLine() {
        CliRun r = CliRun.of("eval", "--model", model.toString(), "--data", dir.resolve("nope.txt").toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("nope.txt") && r.err().contains("no such file"), r.err());
    }

    @Test
    void aMalformedDataFileNamesFileAndLine() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "user,item,timestamp\nu1,i1,100\nu1,i2\n");
        CliRun r = CliRun.of("eval", "--model", model.toString(), "--data", bad.toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("ckv: " + bad + ":3: "), r.err());
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
        CliRun r = CliRun.of("eval", "--model", copy.toString(), "--data", data.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("ckv: artifact " + copy + ": step.onnx: sha256 mismatch"), r.err());
    }

    private static String figures(String out) {
        return out.lines().filter(l -> l.contains("HR@10")).map(String::trim).reduce("", (a, b) -> a + b + "\n");
    }

    private static void writeSasRecFile(UserSequences users, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        for (UserSequence u : users) {
            u.items().forEach(item -> lines.add(u.userId() + " " + item));
        }
        Files.write(file, lines);
    }
}
