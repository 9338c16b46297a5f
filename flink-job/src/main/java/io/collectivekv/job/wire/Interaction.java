package io.collectivekv.job.wire;

/** A decoded, validated interaction event inside the job (a Flink POJO; Avro stays on the wire). */
public class Interaction {
    public String eventId;
    public String userId;
    public String itemId;
    public String action;
    public long eventTimeMillis;
    /** Where the event was read, so that an event that cannot be served is dead-lettered with its coordinates. */
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    public Interaction() {}

    public Interaction(String eventId, String userId, String itemId, String action, long eventTimeMillis) {
        this.eventId = eventId;
        this.userId = userId;
        this.itemId = itemId;
        this.action = action;
        this.eventTimeMillis = eventTimeMillis;
    }

    /** The same event, recording where it was read. */
    public Interaction from(String topic, int partition, long offset) {
        this.sourceTopic = topic;
        this.sourcePartition = partition;
        this.sourceOffset = offset;
        return this;
    }
}
