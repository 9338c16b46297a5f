package io.collectivekv.job.wire;

import io.collectivekv.schema.DeadLetter;
import io.collectivekv.schema.InteractionEvent;
import io.collectivekv.schema.ModelRelease;
import io.collectivekv.schema.Recommendation;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object decoding that a hostile record cannot turn into a crash, for one schema.
 * The generated {@code fromByteBuffer} reads through a stream and believes a string's length
 * prefix: a 15-byte record claiming a 2 GB string makes it allocate 2 GB (an OutOfMemoryError,
 * which is no Exception, so the task fails, and fails again on the same record after every
 * restart), and bytes after the record are silently ignored. Here the body is read from the array,
 * which Avro checks every length against, and the record must end where the bytes do.
 * Not thread-safe: one per subtask.
 */
final class SingleObjectDecoder<T extends SpecificRecord> {
    /** Two marker bytes and the writer schema's 8-byte fingerprint (Avro's single-object encoding). */
    private static final int HEADER_BYTES = 10;
    private static final Map<Long, String> KNOWN_SCHEMAS = Map.of(
            fingerprint(InteractionEvent.getClassSchema()), "InteractionEvent",
            fingerprint(ModelRelease.getClassSchema()), "ModelRelease",
            fingerprint(Recommendation.getClassSchema()), "Recommendation",
            fingerprint(DeadLetter.getClassSchema()), "DeadLetter");

    /** Why a record is not a T, in words for the dead-letter topic. */
    static final class Undecodable extends Exception {
        private static final long serialVersionUID = 1L;

        Undecodable(String reason) {
            super(reason);
        }
    }

    private final String name;
    private final long fingerprint;
    private final SpecificDatumReader<T> reader;
    private BinaryDecoder reuse;

    SingleObjectDecoder(Class<T> type, Schema schema) {
        this.name = schema.getName();
        this.fingerprint = fingerprint(schema);
        this.reader = new SpecificDatumReader<>(type);
    }

    T decode(byte[] bytes) throws Undecodable {
        if (bytes == null) {
            throw new Undecodable("no value (a tombstone)");
        }
        if (bytes.length < HEADER_BYTES) {
            throw new Undecodable(bytes.length + " bytes, fewer than the " + HEADER_BYTES + "-byte single-object header");
        }
        if (bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
            throw new Undecodable(String.format("header 0x%02X 0x%02X is not the single-object marker 0xC3 0x01", bytes[0], bytes[1]));
        }
        long writer = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (writer != fingerprint) {
            String known = KNOWN_SCHEMAS.get(writer);
            throw new Undecodable(known != null ? "written with the " + known + " schema, not " + name
                    : String.format("written with an unknown schema (fingerprint %016x), not %s", writer, name));
        }
        reuse = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, reuse);
        T value;
        try {
            value = reader.read(null, reuse);
            if (!reuse.isEnd()) {
                throw new Undecodable(reuse.inputStream().available() + " bytes after the end of the " + name);
            }
        } catch (EOFException e) {
            throw new Undecodable("truncated (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            throw new Undecodable("malformed (" + oneLine(e) + ")");
        }
        return value;
    }

    private static String oneLine(Exception e) {
        String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return m.replace('\n', ' ');
    }

    private static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }
}
