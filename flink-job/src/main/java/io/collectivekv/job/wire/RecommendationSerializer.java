package io.collectivekv.job.wire;

import io.collectivekv.schema.RecommendedItem;
import io.collectivekv.schema.Recommendation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a recommendation as an Avro single-object Recommendation, keyed by user id. */
public final class RecommendationSerializer implements KafkaRecordSerializationSchema<Recommended> {
    private static final long serialVersionUID = 1L;
    private final String topic;

    public RecommendationSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Recommended r, KafkaSinkContext context, Long timestamp) {
        List<RecommendedItem> items = new ArrayList<>(r.itemIds.length);
        for (int i = 0; i < r.itemIds.length; i++) {
            items.add(new RecommendedItem(r.itemIds[i], r.scores[i]));
        }
        Recommendation avro = Recommendation.newBuilder()
                .setUserId(r.userId)
                .setItems(items)
                .setModelVersion(r.modelVersion)
                .setTriggerEventId(r.triggerEventId)
                .setEventTimeMillis(Instant.ofEpochMilli(r.eventTimeMillis))
                .setEmitTimeMillis(Instant.ofEpochMilli(r.emitTimeMillis))
                .build();
        try {
            return new ProducerRecord<>(topic, r.userId.getBytes(StandardCharsets.UTF_8), Bytes.of(avro.toByteBuffer()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the recommendation for user " + r.userId, e);
        }
    }
}
