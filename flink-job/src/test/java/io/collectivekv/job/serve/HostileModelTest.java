package io.collectivekv.job.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.export.ArtifactExport;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.wire.Interaction;
import io.collectivekv.job.wire.RawRecord;
import io.collectivekv.job.wire.Recommended;
import io.collectivekv.job.wire.Rejected;
import io.collectivekv.job.wire.Release;
import io.collectivekv.job.wire.Tags;
import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.train.TinyModels;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Releases of models that must not serve: each is refused with its reason (a dead letter and the
 * rejectedReleases counter) and the model before it serves on, answering exactly as it would have.
 */
class HostileModelTest {
    @TempDir
    static Path dir;

    static Path current;
    static Path next;
    static Path full;
    static ModelConfig config;

    @BeforeAll
    static void exportModels() throws Exception {
        current = dir.resolve("current");
        next = dir.resolve("next");
        full = dir.resolve("full");
        ArtifactExport.write(TinyModels.trained(Encoder.HSTU, KvMode.COLLECTIVE), current, Map.of());
        ArtifactExport.write(TinyModels.trained(Encoder.SASREC, KvMode.COLLECTIVE), next, Map.of());
        ArtifactExport.write(TinyModels.trained(Encoder.HSTU, KvMode.FULL), full, Map.of());
        config = ModelArtifact.open(current).config();
    }

    static Stream<Arguments> hostileReleases() throws Exception {
        ModelArtifact good = ModelArtifact.open(next);
        ModelConfig c = config;
        return Stream.of(
                hostile("step.onnx truncated, manifest untouched",
                        release(good.modelVersion(), HostileArtifacts.truncatedCopy(next, dir.resolve("truncated")), good.manifestSha256()),
                        "step.onnx: truncated or altered"),
                hostile("step.onnx truncated, manifest resealed for it",
                        resealed(HostileArtifacts.truncatedAndResealed(current, "resealed", dir.resolve("resealed"))),
                        "not a valid ONNX graph"),
                hostile("wrong sha256 pin", release(good.modelVersion(), next, "0".repeat(64)),
                        "manifest.json sha256 " + good.manifestSha256() + " does not match the release's " + "0".repeat(64)),
                hostile("release names another version", release("v-other", next, good.manifestSha256()),
                        "holds model " + good.modelVersion() + ", not the released v-other"),
                hostile("manifest claims one layer more than its graphs",
                        resealed(HostileArtifacts.withConfig(current, new ModelConfig(c.encoder(), c.kvMode(), c.d(), c.layers() + 1, c.heads(),
                                c.userDim(), c.poolSize(), c.window(), c.items(), c.relPosBuckets()), "layers", dir.resolve("layers"))),
                        "do not serve its manifest's config"),
                hostile("manifest claims a narrower user part than its graphs",
                        resealed(HostileArtifacts.withConfig(current, new ModelConfig(c.encoder(), c.kvMode(), c.d(), c.layers(), c.heads(),
                                c.userDim() / 2, c.poolSize(), c.window(), c.items(), c.relPosBuckets()), "d_u", dir.resolve("d_u"))),
                        "do not serve its manifest's config"),
                hostile("prefill and step graphs of two different models",
                        resealed(HostileArtifacts.mixedGraphs(current, next, "mixed", dir.resolve("mixed"))),
                        "do not serve its manifest's config (java.lang.IllegalStateException: prefill scores row"),
                hostile("kv mode full for cache.mode collective", resealed(full),
                        "kv mode full cannot serve cache.mode = collective"),
                hostile("path that does not exist", release("v-missing", dir.resolve("no-such-model"), "0".repeat(64)),
                        "no-such-model: does not exist"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileReleases")
    void aHostileReleaseIsRefusedAndThePreviousModelAnswersAsBefore(Release release, String reason) throws Exception {
        try (var h = harness(); var control = harness()) {
            h.processElement(event("e1", item(0)), 1);
            h.processBroadcastElement(release, 2);
            h.processElement(event("e2", item(1)), 3);
            control.processElement(event("e1", item(0)), 1);
            control.processElement(event("e2", item(1)), 3);

            List<Rejected> dead = h.getSideOutput(Tags.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
            assertEquals(2, h.extractOutputValues().size(), "both events answered; dead letters: " + dead.stream().map(d -> d.error).toList());
            Recommended served = h.extractOutputValues().get(1);
            Recommended expected = control.extractOutputValues().get(1);
            assertEquals(expected.modelVersion, served.modelVersion, "the previous model serves on");
            assertArrayEquals(expected.itemIds, served.itemIds, "its answer is the one it gives without the release");
            assertArrayEquals(expected.scores, served.scores, "its scores are the ones it gives without the release");
            assertEquals(1, dead.size(), "one dead letter, for the release");
            assertEquals(7L, dead.get(0).offset, "the dead letter names the release record");
            assertTrue(dead.get(0).error.contains(reason), "the reason should say \"" + reason + "\": " + dead.get(0).error);
            assertTrue(dead.get(0).error.contains("still serving " + expected.modelVersion), dead.get(0).error);
            assertEquals(1, count(h, "rejectedReleases"), "rejectedReleases");
            assertEquals(0, count(h, "failedEvents"), "failedEvents");
        }
    }

    @Test
    void afterARestoreTheLastModelThatLoadedServesNotTheConfiguredOne() throws Exception {
        ModelArtifact good = ModelArtifact.open(next);
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.processBroadcastElement(release(good.modelVersion(), next, good.manifestSha256()), 1);
            h.processBroadcastElement(release("broken-1", dir.resolve("no-such-model"), "0".repeat(64)), 2);
            h.processBroadcastElement(release("broken-2", dir.resolve("no-such-model-either"), "0".repeat(64)), 3);
            h.processElement(event("e1", item(0)), 4);
            assertEquals(good.modelVersion(), h.extractOutputValues().get(0).modelVersion, "the release before the broken ones serves");
            snapshot = h.snapshot(1L, 5L);
        }
        try (var restored = harness(snapshot)) {
            restored.processElement(event("e2", item(1)), 6);
            assertEquals(good.modelVersion(), restored.extractOutputValues().get(0).modelVersion,
                    "after a restore (a crash), the release that served before still serves, not model.uri's");
        }
    }

    private static Arguments hostile(String name, Release release, String reason) {
        return Arguments.of(Named.of(name, release), reason);
    }

    private static Release release(String version, Path artifact, String manifestSha256) {
        return new Release(version, artifact.toString(), manifestSha256, new RawRecord("model-releases", 0, 7L, 0L, null, new byte[] {1}));
    }

    /** A release whose version and pin are those of the artifact's own manifest: only what lies beyond the manifest can refuse it. */
    private static Release resealed(Path artifact) {
        ModelArtifact a = ModelArtifact.open(artifact);
        return release(a.modelVersion(), artifact, a.manifestSha256());
    }

    private static KeyedBroadcastOperatorTestHarness<String, Interaction, Release, Recommended> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function(),
                (KeySelector<Interaction, String>) i -> i.userId, Types.STRING, RecommendFunction.RELEASES);
    }

    private static KeyedBroadcastOperatorTestHarness<String, Interaction, Release, Recommended> harness(OperatorSubtaskState restore)
            throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(function(), List.of(RecommendFunction.RELEASES)),
                (KeySelector<Interaction, String>) i -> i.userId, Types.STRING, 1, 1, 0);
        h.setup();
        h.initializeState(restore);
        h.open();
        return h;
    }

    private static RecommendFunction function() {
        return new RecommendFunction(JobConfig.defaults().with(JobSettings.MODEL_URI, current.toString()));
    }

    /** The function's own counter: the harness's metric groups register nothing that a test could ask. */
    private static long count(KeyedBroadcastOperatorTestHarness<String, Interaction, Release, Recommended> h, String counter) throws Exception {
        Object function = ((CoBroadcastWithKeyedOperator<?, ?, ?, ?>) h.getOperator()).getUserFunction();
        Field f = RecommendFunction.class.getDeclaredField(counter);
        f.setAccessible(true);
        return ((Counter) f.get(function)).getCount();
    }

    private static Interaction event(String eventId, String item) {
        return new Interaction(eventId, "u1", item, "view", 1L).from("interactions", 0, 0L);
    }

    private static String item(int i) {
        EncodedSequences data = TinyModels.data();
        return data.index().externalId(data.rows(0)[i]);
    }
}
