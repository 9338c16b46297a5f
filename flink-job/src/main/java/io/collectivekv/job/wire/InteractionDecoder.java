package io.collectivekv.job.wire;

import io.collectivekv.schema.InteractionEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes Avro single-object InteractionEvents and validates them. Anything that fails goes to the
 * dead-letter side output with the reason; the job never fails on a record.
 */
public final class InteractionDecoder extends ProcessFunction<RawRecord, Interaction> {
    private static final long serialVersionUID = 1L;
    /** Ids longer than this are refused: they would bloat keyed state and Kafka keys. */
    public static final int MAX_ID_LENGTH = 512;

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext context) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<Interaction> out) {
        String problem;
        try {
            InteractionEvent e = InteractionEvent.fromByteBuffer(ByteBuffer.wrap(raw.value == null ? new byte[0] : raw.value));
            problem = validate(e, raw.key);
            if (problem == null) {
                out.collect(new Interaction(e.getEventId(), e.getUserId(), e.getItemId(), e.getAction(),
                        e.getEventTimeMillis().toEpochMilli()).from(raw.topic, raw.partition, raw.offset));
                return;
            }
        } catch (Exception e) {
            problem = "not a decodable InteractionEvent (Avro single-object): " + oneLine(e);
        }
        deadLetters.inc();
        ctx.output(Tags.DEAD_LETTERS, Rejected.of(raw, problem));
    }

    private static String validate(InteractionEvent e, byte[] key) {
        String bad = id("eventId", e.getEventId());
        if (bad == null) {
            bad = id("userId", e.getUserId());
        }
        if (bad == null) {
            bad = id("itemId", e.getItemId());
        }
        if (bad == null && e.getEventTimeMillis().toEpochMilli() < 0) {
            bad = "eventTimeMillis " + e.getEventTimeMillis().toEpochMilli() + " is before 1970";
        }
        if (bad == null && key != null && !e.getUserId().equals(new String(key, StandardCharsets.UTF_8))) {
            bad = "Kafka key does not equal userId " + e.getUserId();
        }
        return bad;
    }

    private static String id(String field, String value) {
        if (value.isEmpty()) {
            return field + " is empty";
        }
        if (value.length() > MAX_ID_LENGTH) {
            return field + " has " + value.length() + " characters (at most " + MAX_ID_LENGTH + ")";
        }
        return null;
    }

    static String oneLine(Exception e) {
        String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return m.replace('\n', ' ');
    }
}
