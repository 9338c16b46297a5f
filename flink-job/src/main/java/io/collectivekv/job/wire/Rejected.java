package io.collectivekv.job.wire;

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
