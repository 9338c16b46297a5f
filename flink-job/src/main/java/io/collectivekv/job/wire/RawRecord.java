package io.collectivekv.job.wire;

/**
 * A Kafka record as read, before decoding: decoding happens in an operator so that a record that
 * fails it can go to the dead-letter topic with its coordinates instead of failing the source.
 * A Flink POJO.
 */
public class RawRecord {
    public String topic;
    public int partition;
    public long offset;
    /** The broker's append time (or the producer's create time), for end-to-end latency. */
    public long timestamp;
    public byte[] key;
    public byte[] value;

    public RawRecord() {}

    public RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }
}
