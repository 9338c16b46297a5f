package io.collectivekv.job.wire;

import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.schema.InteractionEvent;
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
    static final String UNDECODABLE = "not a decodable InteractionEvent (Avro single-object): ";

    private final int maxFieldLength;
    private final long maxFutureMillis;
    private transient SingleObjectDecoder<InteractionEvent> avro;
    private transient Counter deadLetters;

    public InteractionDecoder(JobConfig config) {
        this.maxFieldLength = config.get(JobSettings.MAX_FIELD_LENGTH);
        this.maxFutureMillis = config.get(JobSettings.MAX_FUTURE_MS);
    }

    @Override
    public void open(OpenContext context) {
        avro = new SingleObjectDecoder<>(InteractionEvent.class, InteractionEvent.getClassSchema());
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<Interaction> out) {
        String problem;
        try {
            InteractionEvent e = avro.decode(raw.value);
            problem = validate(e, raw);
            if (problem == null) {
                out.collect(new Interaction(e.getEventId(), e.getUserId(), e.getItemId(), e.getAction(),
                        e.getEventTimeMillis().toEpochMilli()).from(raw.topic, raw.partition, raw.offset));
                return;
            }
        } catch (SingleObjectDecoder.Undecodable e) {
            problem = UNDECODABLE + e.getMessage();
        }
        deadLetters.inc();
        ctx.output(Tags.DEAD_LETTERS, Rejected.of(raw, problem));
    }

    private String validate(InteractionEvent e, RawRecord raw) {
        String bad = id("eventId", e.getEventId());
        if (bad == null) {
            bad = id("userId", e.getUserId());
        }
        if (bad == null) {
            bad = id("itemId", e.getItemId());
        }
        if (bad == null) {
            bad = tooLong("action", e.getAction());
        }
        if (bad == null) {
            bad = time(e.getEventTimeMillis().toEpochMilli(), raw.timestamp);
        }
        if (bad == null && raw.key != null && !e.getUserId().equals(new String(raw.key, StandardCharsets.UTF_8))) {
            bad = "Kafka key does not equal userId " + e.getUserId();
        }
        return bad;
    }

    private String id(String field, String value) {
        return value.isEmpty() ? field + " is empty" : tooLong(field, value);
    }

    /** Ids live in keyed state (W item ids, the remembered event ids) and in Kafka keys: their length bounds a user's state. */
    private String tooLong(String field, String value) {
        if (value.length() > maxFieldLength) {
            return field + " has " + value.length() + " characters, more than " + JobSettings.MAX_FIELD_LENGTH.key() + " = " + maxFieldLength;
        }
        return null;
    }

    /**
     * Measured against the record's timestamp (the producer's or the broker's clock), not this
     * machine's: a replay of the topic decides the same way, and Kafka itself bounds how far that
     * timestamp may stray from the broker's clock.
     */
    private String time(long eventMillis, long recordMillis) {
        if (eventMillis < 0) {
            return "eventTimeMillis " + eventMillis + " is before 1970";
        }
        if (recordMillis >= 0 && eventMillis - recordMillis > maxFutureMillis) {
            return "eventTimeMillis " + eventMillis + " is " + (eventMillis - recordMillis) + " ms ahead of its Kafka record's timestamp "
                    + recordMillis + ", more than " + JobSettings.MAX_FUTURE_MS.key() + " = " + maxFutureMillis;
        }
        return null;
    }
}
