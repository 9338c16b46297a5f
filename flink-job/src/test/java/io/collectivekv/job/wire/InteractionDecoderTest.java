package io.collectivekv.job.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.wire.HostileRecords.Hostile;
import io.collectivekv.schema.InteractionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The interaction decoder alone, in Flink's operator test harness: what it refuses, and why. */
class InteractionDecoderTest {
    private static final JobConfig CONFIG = JobConfig.defaults();

    @Test
    void everyHostileRecordIsDeadLetteredSayingWhatIsWrongWithIt() throws Exception {
        HostileRecords hostile = new HostileRecords(17L, CONFIG.get(JobSettings.MAX_FIELD_LENGTH));
        List<Hostile> sent = new ArrayList<>();
        try (var h = harness()) {
            for (int i = 0; i < 2_000; i++) {
                long now = System.currentTimeMillis();
                Hostile r = hostile.next("user-" + i % 7, "item-" + i, now);
                sent.add(r);
                h.processElement(new RawRecord("interactions", 0, i, now, r.key(), r.value()), now);
            }
            assertEquals(List.of(), h.extractOutputValues().stream().map(e -> e.eventId).toList(), "no hostile record may reach the recommender");
            List<Rejected> dead = deadLetters(h);
            assertEquals(sent.size(), dead.size(), "one dead letter per hostile record");
            for (Rejected d : dead) {
                Hostile r = sent.get((int) d.offset);
                assertTrue(d.error.contains(r.reason()), r.kind() + " at offset " + d.offset + " should say \"" + r.reason() + "\": " + d.error);
            }
        }
    }

    @Test
    void aGoodEventPassesWithEveryField() throws Exception {
        long now = System.currentTimeMillis();
        byte[] good = HostileRecords.encode(new InteractionEvent("e1", "u1", "i1", "click", Instant.ofEpochMilli(now - 5)));
        try (var h = harness()) {
            h.processElement(new RawRecord("interactions", 1, 42L, now, HostileRecords.utf8("u1"), good), now);
            Interaction e = h.extractOutputValues().get(0);
            assertEquals(List.of("e1", "u1", "i1", "click", "interactions"), List.of(e.eventId, e.userId, e.itemId, e.action, e.sourceTopic));
            assertEquals(List.of(now - 5, 1L, 42L), List.of(e.eventTimeMillis, (long) e.sourcePartition, e.sourceOffset));
            assertEquals(List.of(), deadLetters(h));
        }
    }

    @Test
    void aStringLengthTheRecordCannotBackIsRefusedWithoutAllocatingIt() throws Exception {
        // 15 bytes claiming a 1.9 GB eventId: Avro's generated decoder allocated it (7 s with a 6 GB
        // heap, an OutOfMemoryError with 512 MB, which failed the job again after every restart).
        byte[] good = HostileRecords.encode(new InteractionEvent("e1", "u1", "i1", "view", Instant.EPOCH));
        byte[] claim = Arrays.copyOf(good, 15);
        byte[] length = {(byte) 0x80, (byte) 0xCC, (byte) 0xFD, (byte) 0x93, 0x0E}; // zigzag varint of 1.9e9
        System.arraycopy(length, 0, claim, 10, length.length);
        try (var h = harness()) {
            assertTimeoutPreemptively(Duration.ofSeconds(1), () -> h.processElement(new RawRecord("interactions", 0, 0L, 0L, null, claim), 0L));
            String error = deadLetters(h).get(0).error;
            assertTrue(error.contains("truncated (Attempted to read 1900000000 bytes"), error);
        }
    }

    private static OneInputStreamOperatorTestHarness<RawRecord, Interaction> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forProcessFunction(new InteractionDecoder(CONFIG));
    }

    private static List<Rejected> deadLetters(OneInputStreamOperatorTestHarness<RawRecord, Interaction> h) {
        return h.getSideOutput(Tags.DEAD_LETTERS) == null ? List.of()
                : h.getSideOutput(Tags.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
    }
}
