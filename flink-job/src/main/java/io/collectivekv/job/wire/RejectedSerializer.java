package io.collectivekv.job.wire;

import io.collectivekv.job.config.JobSettings;
import io.collectivekv.schema.DeadLetter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a refused record as an Avro single-object DeadLetter, keyed by the original key. Its raw
 * key and value are cut to {@code dead.letter.max.bytes} each: a dead letter holds the key twice
 * and the value once, so an uncut one of a record near the input topic's size limit would exceed
 * the dead-letter topic's, and the sink would fail the job on that record after every restart.
 */
public final class RejectedSerializer implements KafkaRecordSerializationSchema<Rejected> {
    private static final long serialVersionUID = 1L;
    /** Reasons are one line; this only stops one that quotes a huge input (a release's URI, say). */
    private static final int MAX_ERROR_CHARS = 8_192;

    private final String topic;
    private final int maxRawBytes;

    public RejectedSerializer(String topic, int maxRawBytes) {
        this.topic = topic;
        this.maxRawBytes = maxRawBytes;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Rejected r, KafkaSinkContext context, Long timestamp) {
        byte[] key = cut(r.key);
        byte[] value = cut(r.value);
        String error = r.error.length() > MAX_ERROR_CHARS ? r.error.substring(0, MAX_ERROR_CHARS) + "…" : r.error;
        List<String> cuts = new ArrayList<>();
        if (key != r.key) {
            cuts.add("of the key's " + r.key.length);
        }
        if (value != r.value) {
            cuts.add("of the value's " + r.value.length);
        }
        if (!cuts.isEmpty()) {
            error += "; this dead letter keeps the first " + maxRawBytes + " bytes " + String.join(" and ", cuts)
                    + " (" + JobSettings.DEAD_LETTER_MAX_BYTES.key() + ")";
        }
        DeadLetter avro = DeadLetter.newBuilder()
                .setTopic(r.topic)
                .setPartition(r.partition)
                .setOffset(r.offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setError(error)
                .setFailedAtMillis(Instant.ofEpochMilli(r.failedAtMillis))
                .build();
        try {
            return new ProducerRecord<>(topic, key, Bytes.of(avro.toByteBuffer()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the dead letter of " + r.topic + "/" + r.partition + "@" + r.offset, e);
        }
    }

    private byte[] cut(byte[] raw) {
        return raw == null || raw.length <= maxRawBytes ? raw : Arrays.copyOf(raw, maxRawBytes);
    }
}
