package io.collectivekv.job.wire;

import java.nio.ByteBuffer;

/** The remaining bytes of an encoder's buffer as an array, for Kafka. */
public final class Bytes {
    private Bytes() {}

    public static byte[] of(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
