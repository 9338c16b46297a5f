package io.collectivekv.job.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.collectivekv.data.EncodedSequences;
import io.collectivekv.export.ArtifactExport;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.wire.Interaction;
import io.collectivekv.job.wire.Recommended;
import io.collectivekv.job.wire.Release;
import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.train.TinyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * state.ttl.ms in processing time, on the harness's TTL clock: an inactive user's state goes and
 * the user starts afresh; every served event (a write) keeps it, and nothing else does.
 */
class StateTtlTest {
    private static final long TTL = 60_000;

    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void exportModel() throws Exception {
        model = dir.resolve("model");
        ArtifactExport.write(TinyModels.trained(Encoder.HSTU, KvMode.COLLECTIVE), model, Map.of());
    }

    @Test
    void anInactiveUsersStateExpiresAndTheReturningUserStartsLikeANewOne() throws Exception {
        try (var h = harness()) {
            h.setStateTtlProcessingTime(0);
            for (int i = 0; i < 3; i++) {
                h.processElement(event("e" + i, "returning", item(i)), i);
            }
            assertEquals(3, state(h, "returning").eventCount);

            h.setStateTtlProcessingTime(TTL + 1);
            assertNull(state(h, "returning"), "no event for longer than state.ttl.ms: the state is gone");
            h.processElement(event("e3", "returning", item(3)), 4);
            h.processElement(event("f0", "new", item(3)), 5);

            UserState back = state(h, "returning");
            assertEquals(1, back.eventCount, "events counted afresh");
            assertEquals(List.of(item(3)), List.of(back.windowItemIds), "a window of the one new item");
            assertEquals(List.of("e3"), List.of(back.recentEventIds), "only the new event remembered");
            List<Recommended> out = h.extractOutputValues();
            Recommended returning = out.get(3);
            Recommended fresh = out.get(4);
            assertArrayEquals(fresh.itemIds, returning.itemIds, "the returning user is answered as a new user with the same item");
            assertArrayEquals(fresh.scores, returning.scores, "with the same scores");
        }
    }

    @Test
    void everyServedEventKeepsAnActiveUsersStatePastTheTtl() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 5; i++) {
                h.setStateTtlProcessingTime(i * TTL / 2);
                h.processElement(event("e" + i, "active", item(i)), i);
            }
            h.setStateTtlProcessingTime(4 * TTL / 2 + TTL - 1);
            UserState state = state(h, "active");
            assertNotNull(state, "written at " + (4 * TTL / 2) + " ms, alive until " + (4 * TTL / 2 + TTL) + " ms");
            assertEquals(5, state.eventCount, "the state of 2.5 TTLs of activity");
        }
    }

    @Test
    void aDroppedDuplicateIsNoActivity() throws Exception {
        try (var h = harness()) {
            h.setStateTtlProcessingTime(0);
            h.processElement(event("e0", "u", item(0)), 0);
            h.setStateTtlProcessingTime(TTL - 1);
            h.processElement(event("e0", "u", item(0)), 1);
            assertEquals(1, h.extractOutputValues().size(), "the duplicate is dropped");
            h.setStateTtlProcessingTime(TTL + 1);
            assertNull(state(h, "u"), "TTL counts from the last write (OnCreateAndWrite); a dropped duplicate writes nothing");
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, Interaction, Release, Recommended> harness() throws Exception {
        JobConfig config = JobConfig.defaults().with(JobSettings.MODEL_URI, model.toString())
                .with(JobSettings.STATE_TTL_MS, Long.toString(TTL));
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new RecommendFunction(config),
                (KeySelector<Interaction, String>) i -> i.userId, Types.STRING, RecommendFunction.RELEASES);
    }

    /** The user's state as the job sees it: through the same TTL descriptor, so an expired one reads as none. */
    private static UserState state(KeyedBroadcastOperatorTestHarness<String, Interaction, Release, Recommended> h, String user)
            throws Exception {
        @SuppressWarnings("unchecked")
        CoBroadcastWithKeyedOperator<String, Interaction, Release, Recommended> op =
                (CoBroadcastWithKeyedOperator<String, Interaction, Release, Recommended>) h.getOperator();
        op.setCurrentKey(user);
        return op.getKeyedStateStore().getState(UserState.descriptor(TTL)).value();
    }

    private static Interaction event(String eventId, String user, String item) {
        return new Interaction(eventId, user, item, "view", 1L).from("interactions", 0, 0L);
    }

    private static String item(int i) {
        EncodedSequences data = TinyModels.data();
        return data.index().externalId(data.rows(0)[i]);
    }
}
