package io.collectivekv.job.serve;

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
import io.collectivekv.train.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recommender with its keyed and broadcast state, in Flink's operator test harness. */
class RecommendFunctionTest {
    @TempDir
    static Path dir;

    static Path collective;
    static Path sasrec;

    @BeforeAll
    static void exportModels() throws Exception {
        collective = dir.resolve("collective");
        sasrec = dir.resolve("sasrec");
        ArtifactExport.write(TinyModels.trained(Encoder.HSTU, KvMode.COLLECTIVE), collective, Map.of());
        ArtifactExport.write(TinyModels.trained(Encoder.SASREC, KvMode.COLLECTIVE), sasrec, Map.of());
    }

    @Test
    void duplicatesAreDroppedAndUnknownItemsStillGetARecommendation() throws Exception {
        try (var h = harness(config())) {
            h.processElement(event("e1", "u1", item(0)), 1);
            h.processElement(event("e1", "u1", item(0)), 2);
            h.processElement(event("e2", "u1", "never-seen"), 3);
            List<Recommended> out = h.extractOutputValues();
            assertEquals(List.of("e1", "e2"), out.stream().map(r -> r.triggerEventId).toList());
            assertEquals(10, out.get(1).itemIds.length);
        }
    }

    @Test
    void theCacheStaysBoundedByTheWindow() throws Exception {
        try (var h = harness(config())) {
            for (int i = 0; i < 3 * TinyModels.WINDOW; i++) {
                h.processElement(event("e" + i, "u1", item(i % 10)), i);
            }
            UserState state = userState(h, "u1");
            assertEquals(3 * TinyModels.WINDOW, state.eventCount);
            assertEquals(TinyModels.WINDOW, state.window.length);
        }
    }

    @Test
    void aReleaseSwitchesTheModelAndCachesAreRebuiltLazily() throws Exception {
        ModelArtifact next = ModelArtifact.open(sasrec);
        try (var h = harness(config())) {
            h.processElement(event("e1", "u1", item(0)), 1);
            h.processBroadcastElement(new Release(next.modelVersion(), sasrec.toString(), next.manifestSha256(), null), 2);
            h.processElement(event("e2", "u1", item(1)), 3);
            List<Recommended> out = h.extractOutputValues();
            assertEquals(next.modelVersion(), out.get(1).modelVersion);
            assertEquals(next.cacheCompatibilityId(), userState(h, "u1").modelId);
        }
    }

    @Test
    void aReleaseThatFailsVerificationIsDeadLetteredAndTheOldModelServesOn() throws Exception {
        ModelArtifact current = ModelArtifact.open(collective);
        RawRecord source = new RawRecord("model-releases", 0, 7L, 0L, null, new byte[] {1});
        try (var h = harness(config())) {
            h.processBroadcastElement(new Release("v2", sasrec.toString(), "0".repeat(64), source), 1);
            h.processElement(event("e1", "u1", item(0)), 2);
            assertEquals(current.modelVersion(), h.extractOutputValues().get(0).modelVersion);
            ConcurrentLinkedQueue<StreamRecord<Rejected>> dead = h.getSideOutput(Tags.DEAD_LETTERS);
            Rejected r = dead.peek().getValue();
            assertEquals(7L, r.offset);
            assertTrue(r.error.contains("does not match the release's"), r.error);
        }
    }

    private static JobConfig config() {
        return JobConfig.defaults().with(JobSettings.MODEL_URI, collective.toString());
    }

    private static KeyedBroadcastOperatorTestHarness<String, Interaction, Release, Recommended> harness(JobConfig config) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new RecommendFunction(config),
                (KeySelector<Interaction, String>) i -> i.userId, Types.STRING, RecommendFunction.RELEASES);
    }

    private static UserState userState(KeyedBroadcastOperatorTestHarness<String, Interaction, Release, Recommended> h, String user)
            throws Exception {
        @SuppressWarnings("unchecked")
        CoBroadcastWithKeyedOperator<String, Interaction, Release, Recommended> op =
                (CoBroadcastWithKeyedOperator<String, Interaction, Release, Recommended>) h.getOperator();
        op.setCurrentKey(user);
        return op.getKeyedStateStore().getState(UserState.descriptor(0)).value();
    }

    private static Interaction event(String eventId, String user, String item) {
        return new Interaction(eventId, user, item, "view", 1L).from("interactions", 0, 0L);
    }

    private static String item(int i) {
        EncodedSequences data = TinyModels.data();
        return data.index().externalId(data.rows(0)[i]);
    }
}
