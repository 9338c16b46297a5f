package io.collectivekv.job.wire;

import io.collectivekv.schema.DeadLetter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a refused record as an Avro single-object DeadLetter, keyed by the original key. */
public final class RejectedSerializer implements KafkaRecordSerializationSchema<Rejected> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    public RejectedSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Rejected r, KafkaSinkContext context, Long timestamp) {
        DeadLetter avro = DeadLetter.newBuilder()
                .setTopic(r.topic)
                .setPartition(r.partition)
                .setOffset(r.offset)
                .setKey(r.key == null ? null : ByteBuffer.wrap(r.key))
                .setValue(r.value == null ? null : ByteBuffer.wrap(r.value))
                .setError(r.error)
                .setFailedAtMillis(Instant.ofEpochMilli(r.failedAtMillis))
                .build();
        try {
            return new ProducerRecord<>(topic, r.key, Bytes.of(avro.toByteBuffer()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the dead letter of " + r.topic + "/" + r.partition + "@" + r.offset, e);
        }
    }
}
