package io.collectivekv.job.wire;

import io.collectivekv.schema.InteractionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** A record the job refused, with the reason (a Flink POJO), written to Kafka as an Avro DeadLetter. */
public class Rejected {
    public String topic;
    public int partition;
    public long offset;
    public byte[] key;
    public byte[] value;
    public String error;
    public long failedAtMillis;

    public Rejected() {}

    /** An event that decoded but could not be served, re-encoded as the InteractionEvent it was. */
    public static Rejected of(Interaction e, String error) {
        InteractionEvent avro = new InteractionEvent(e.eventId, e.userId, e.itemId, e.action, Instant.ofEpochMilli(e.eventTimeMillis));
        try {
            return of(new RawRecord(e.sourceTopic, e.sourcePartition, e.sourceOffset, e.eventTimeMillis,
                    e.userId.getBytes(StandardCharsets.UTF_8), Bytes.of(avro.toByteBuffer())), error);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public static Rejected of(RawRecord r, String error) {
        Rejected d = new Rejected();
        d.topic = r.topic;
        d.partition = r.partition;
        d.offset = r.offset;
        d.key = r.key;
        d.value = r.value;
        d.error = error;
        d.failedAtMillis = System.currentTimeMillis();
        return d;
    }
}
