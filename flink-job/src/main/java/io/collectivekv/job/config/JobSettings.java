package io.collectivekv.job.config;

import java.util.List;

/** Every setting of the streaming job, declared once: the file deploy/recommender.properties is generated from these. */
public final class JobSettings {
    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text("kafka.bootstrap.servers", "localhost:9092",
            "Kafka brokers to read from and write to.");
    public static final Setting<String> GROUP_ID = Setting.text("kafka.group.id", "collectivekv-recommender",
            "Consumer group of the job's Kafka sources (offsets live in checkpoints; the group is for monitoring).");
    public static final Setting<String> STARTING_OFFSETS = Setting.choice("kafka.starting.offsets", "earliest",
            List.of("earliest", "latest", "committed"), "Where a job without a checkpoint starts reading (committed falls back to earliest).");
    public static final Setting<String> TOPIC_INTERACTIONS = Setting.text("topic.interactions", "interactions",
            "Interaction events (Avro InteractionEvent, key = user id).");
    public static final Setting<String> TOPIC_RELEASES = Setting.text("topic.model.releases", "model-releases",
            "Model releases (Avro ModelRelease), broadcast to every subtask.");
    public static final Setting<String> TOPIC_RECOMMENDATIONS = Setting.text("topic.recommendations", "recommendations",
            "Recommendations (Avro Recommendation, key = user id).");
    public static final Setting<String> TOPIC_DEAD_LETTERS = Setting.text("topic.dead.letters", "interactions-dlq",
            "Records the job could not use, with the reason (Avro DeadLetter).");
    public static final Setting<String> DELIVERY = Setting.choice("sink.delivery", "at-least-once",
            List.of("at-least-once", "exactly-once"), "Delivery guarantee of the Kafka sinks; exactly-once commits on checkpoints.");
    public static final Setting<Long> TRANSACTION_TIMEOUT_MS = Setting.longValue("sink.transaction.timeout.ms", 600_000L, 1_000L,
            "Kafka transaction timeout of the exactly-once sink; must not exceed the broker's transaction.max.timeout.ms (15 min by default).");
    public static final Setting<String> MODEL_URI = Setting.text("model.uri", "models/default",
            "The model artifact served at start (directory, .zip, or file: URI); replaced by releases.");
    public static final Setting<String> CACHE_MODE = Setting.choice("cache.mode", "collective",
            List.of("collective", "full", "none"),
            "What a user's state holds: the compact cache (collective), ordinary K/V (full), or only the window (none: prefill on every event). collective and full need a model of that kv mode.");
    public static final Setting<String> CACHE_PRECISION = Setting.choice("cache.precision", "fp32", List.of("fp32", "fp16"),
            "Float precision of the cache in state: fp32 is exact; fp16 halves the float bytes (relative error ≤ 2^-11).");
    public static final Setting<Integer> TOP_K = Setting.integer("recommend.top.k", 10, 1, 1000, "Items per recommendation.");
    public static final Setting<Boolean> EXCLUDE_SEEN = Setting.bool("recommend.exclude.seen", true,
            "Leave out the items in the user's window.");
    public static final Setting<Integer> DEDUP_EVENTS = Setting.integer("dedup.remembered.events", 64, 0, 100_000,
            "Event ids remembered per user to drop duplicates (0 = no dedup).");
    public static final Setting<Integer> MAX_FIELD_LENGTH = Setting.integer("event.max.field.length", 256, 1, 65_536,
            "Longest eventId, userId, itemId or action an event may have, in characters; a longer one (or an empty id) sends the event to the dead-letter topic. "
            + "A user's state keeps W item ids and dedup.remembered.events event ids, so this bounds its size: 256 fits UUIDs and composite keys "
            + "with room to spare and keeps the ids of a user at W = 200 under 70 KB (ASCII).");
    public static final Setting<Long> MAX_FUTURE_MS = Setting.longValue("event.max.future.ms", 3_600_000L, 0L,
            "How far an event's time may lie ahead of its Kafka record's timestamp; a later one (a wrong clock, or a unit error such as microseconds) "
            + "is sent to the dead-letter topic, as is a time before 1970. One hour, the tolerance Kafka 4 brokers apply to record timestamps. "
            + "Measured against the record, not the clock, so that a replay decides the same way.");
    public static final Setting<Integer> DEAD_LETTER_MAX_BYTES = Setting.integer("dead.letter.max.bytes", 65_536, 0, 262_144,
            "Most bytes of a refused record's key, and of its value, that its dead letter keeps (the rest is cut off and the reason says so): "
            + "a dead letter must fit the dead-letter topic's max.message.bytes (1 MB in a default Kafka) however large the refused record was, "
            + "or the sink fails the job on every restart.");
    public static final Setting<Long> STATE_TTL_MS = Setting.longValue("state.ttl.ms", 0L, 0L,
            "Drop a user's state after this long without a served event, in processing time (0 = keep forever). "
            + "A dropped duplicate is no activity; a returning user starts afresh, with no memory of its earlier event ids.");
    public static final Setting<Long> CHECKPOINT_INTERVAL_MS = Setting.longValue("checkpoint.interval.ms", 10_000L, 0L,
            "Checkpoint interval (0 = no checkpoints). Checkpoints are incremental RocksDB snapshots.");
    public static final Setting<String> CHECKPOINT_DIR = Setting.text("checkpoint.dir", "file:///tmp/collectivekv/checkpoints",
            "Where checkpoints (and, by default, savepoints) are written.");
    public static final Setting<Integer> PARALLELISM = Setting.integer("parallelism", 1, 1, 4096, "Parallelism of the job.");
    public static final Setting<Integer> INFERENCE_THREADS = Setting.integer("inference.threads", 1, 0, 256,
            "ONNX Runtime threads per subtask (0 = all cores).");

    public static final List<Setting<?>> ALL = List.of(BOOTSTRAP_SERVERS, GROUP_ID, STARTING_OFFSETS, TOPIC_INTERACTIONS,
            TOPIC_RELEASES, TOPIC_RECOMMENDATIONS, TOPIC_DEAD_LETTERS, DELIVERY, TRANSACTION_TIMEOUT_MS, MODEL_URI, CACHE_MODE,
            CACHE_PRECISION, TOP_K, EXCLUDE_SEEN, DEDUP_EVENTS, MAX_FIELD_LENGTH, MAX_FUTURE_MS, DEAD_LETTER_MAX_BYTES, STATE_TTL_MS,
            CHECKPOINT_INTERVAL_MS, CHECKPOINT_DIR, PARALLELISM, INFERENCE_THREADS);

    private JobSettings() {}
}
