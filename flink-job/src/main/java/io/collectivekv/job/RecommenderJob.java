package io.collectivekv.job;

import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.serve.RecommendFunction;
import io.collectivekv.job.wire.Interaction;
import io.collectivekv.job.wire.InteractionDecoder;
import io.collectivekv.job.wire.RawRecord;
import io.collectivekv.job.wire.RawRecordDeserializer;
import io.collectivekv.job.wire.RecommendationSerializer;
import io.collectivekv.job.wire.Recommended;
import io.collectivekv.job.wire.Rejected;
import io.collectivekv.job.wire.RejectedSerializer;
import io.collectivekv.job.wire.Release;
import io.collectivekv.job.wire.ReleaseDecoder;
import io.collectivekv.job.wire.Tags;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The streaming job's topology, wired from sources and sinks passed in (so tests can hand it their
 * own):
 *
 * <pre>
 *   interactions → decode (bad → DLQ) → keyBy(user) ─┐
 *   model-releases → decode (bad → DLQ) → broadcast ─┴→ RecommendFunction → recommendations
 *                                                       (refused releases → DLQ)
 * </pre>
 */
public final class RecommenderJob {
    public static final String NAME = "collectivekv-recommender";
    /** The recommender operator's uid: its keyed state (users) and broadcast state (models) live under it in savepoints. */
    public static final String RECOMMEND_UID = "recommend";

    private RecommenderJob() {}

    public static void build(StreamExecutionEnvironment env, JobConfig config,
            Source<RawRecord, ?, ?> interactions, Source<RawRecord, ?, ?> releases,
            Sink<Recommended> recommendations, Sink<Rejected> deadLetters) {
        SingleOutputStreamOperator<Interaction> decoded = env
                .fromSource(interactions, WatermarkStrategy.noWatermarks(), "interactions")
                .uid("interactions-source")
                .process(new InteractionDecoder(config)).name("decode interactions").uid("decode-interactions");
        SingleOutputStreamOperator<Release> releaseStream = env
                .fromSource(releases, WatermarkStrategy.noWatermarks(), "model-releases")
                .uid("releases-source")
                .setParallelism(1)
                .process(new ReleaseDecoder()).name("decode releases").uid("decode-releases").setParallelism(1);
        BroadcastStream<Release> broadcast = releaseStream.broadcast(RecommendFunction.RELEASES);

        SingleOutputStreamOperator<Recommended> recommended = decoded
                .keyBy(i -> i.userId, Types.STRING)
                .connect(broadcast)
                .process(new RecommendFunction(config)).name("recommend").uid(RECOMMEND_UID);
        recommended.sinkTo(recommendations).name("recommendations").uid("recommendations-sink");

        DataStream<Rejected> rejected = decoded.getSideOutput(Tags.DEAD_LETTERS)
                .union(releaseStream.getSideOutput(Tags.DEAD_LETTERS), recommended.getSideOutput(Tags.DEAD_LETTERS));
        rejected.sinkTo(deadLetters).name("dead-letters").uid("dead-letters-sink");
    }

    /** Builds the job on Kafka: the topics, brokers and delivery guarantee of {@code config}. */
    public static void buildOnKafka(StreamExecutionEnvironment env, JobConfig config) {
        build(env, config,
                source(config, config.get(JobSettings.TOPIC_INTERACTIONS)),
                source(config, config.get(JobSettings.TOPIC_RELEASES)),
                sink(config, new RecommendationSerializer(config.get(JobSettings.TOPIC_RECOMMENDATIONS)), "recommendations"),
                sink(config, new RejectedSerializer(config.get(JobSettings.TOPIC_DEAD_LETTERS),
                        config.get(JobSettings.DEAD_LETTER_MAX_BYTES)), "dead-letters"));
    }

    static KafkaSource<RawRecord> source(JobConfig config, String topic) {
        OffsetsInitializer start = switch (config.get(JobSettings.STARTING_OFFSETS)) {
            case "latest" -> OffsetsInitializer.latest();
            case "committed" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default -> OffsetsInitializer.earliest();
        };
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(config.get(JobSettings.BOOTSTRAP_SERVERS))
                .setGroupId(config.get(JobSettings.GROUP_ID) + "-" + topic)
                .setTopics(topic)
                .setStartingOffsets(start)
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    static <T> KafkaSink<T> sink(JobConfig config, KafkaRecordSerializationSchema<T> schema, String name) {
        boolean exactlyOnce = config.get(JobSettings.DELIVERY).equals("exactly-once");
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", Long.toString(config.get(JobSettings.TRANSACTION_TIMEOUT_MS)));
        producer.setProperty("max.request.size", Integer.toString(4 * 1024 * 1024));
        var builder = KafkaSink.<T>builder()
                .setBootstrapServers(config.get(JobSettings.BOOTSTRAP_SERVERS))
                .setRecordSerializer(schema)
                .setKafkaProducerConfig(producer)
                .setDeliveryGuarantee(exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE);
        if (exactlyOnce) {
            builder.setTransactionalIdPrefix(NAME + "-" + name);
        }
        return builder.build();
    }

    /** Flink settings the job needs: RocksDB with incremental checkpoints, no Kryo fallback. */
    public static Configuration flinkConfiguration(JobConfig config) {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.get(JobSettings.CHECKPOINT_DIR));
        c.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, config.get(JobSettings.CHECKPOINT_DIR));
        long interval = config.get(JobSettings.CHECKPOINT_INTERVAL_MS);
        if (interval > 0) {
            c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(interval));
        }
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.setString("parallelism.default", Integer.toString(config.get(JobSettings.PARALLELISM)));
        return c;
    }
}
