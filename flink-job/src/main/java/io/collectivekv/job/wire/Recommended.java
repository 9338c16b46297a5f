package io.collectivekv.job.wire;

/** A recommendation inside the job (a Flink POJO), written to Kafka as an Avro Recommendation. */
public class Recommended {
    public String userId;
    /** Best first. */
    public String[] itemIds;
    public float[] scores;
    public String modelVersion;
    public String triggerEventId;
    public long eventTimeMillis;
    public long emitTimeMillis;

    public Recommended() {}
}
