package io.collectivekv.job.wire;

/** A decoded, validated interaction event inside the job (a Flink POJO; Avro stays on the wire). */
public class Interaction {
    public String eventId;
    public String userId;
    public String itemId;
    public String action;
    public long eventTimeMillis;
    /** The Kafka timestamp of the event's record, carried for latency metrics. */
    public long appendTimeMillis;

    public Interaction() {}

    public Interaction(String eventId, String userId, String itemId, String action, long eventTimeMillis, long appendTimeMillis) {
        this.eventId = eventId;
        this.userId = userId;
        this.itemId = itemId;
        this.action = action;
        this.eventTimeMillis = eventTimeMillis;
        this.appendTimeMillis = appendTimeMillis;
    }
}
