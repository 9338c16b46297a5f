package io.collectivekv.job.wire;

import io.collectivekv.job.config.JobSettings;
import io.collectivekv.schema.DeadLetter;
import io.collectivekv.schema.InteractionEvent;
import io.collectivekv.schema.ModelRelease;
import io.collectivekv.schema.Recommendation;
import io.collectivekv.schema.RecommendedItem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * What a broken or hostile producer may write on the interactions topic, drawn from a seeded
 * {@link Random}: each record comes with the words its dead letter's reason must contain. Every
 * record is bad for exactly one reason (real user and item ids otherwise), so that reason is
 * predictable. Megabyte-sized kinds are rare, so thousands of records stay quick to produce.
 */
public final class HostileRecords {
    /** A record the job must refuse, what is wrong with it, and what its dead letter's reason must say. */
    public record Hostile(String kind, byte[] key, byte[] value, String reason) {}

    public static final int MEGABYTE = 1 << 20;
    private static final String UNDECODABLE = InteractionDecoder.UNDECODABLE;
    private static final String TOO_LONG = " characters, more than " + JobSettings.MAX_FIELD_LENGTH.key() + " = ";
    private static final List<String> IDS = List.of("eventId", "userId", "itemId");

    /** What one draw is about: a real user and item, and that event as a good producer encodes it. */
    private record Draw(String id, String user, String item, long nowMillis, byte[] key, byte[] good) {
        byte[] with(String eventId, String userId, String itemId, String action, long eventMillis) {
            return encode(new InteractionEvent(eventId, userId, itemId, action, Instant.ofEpochMilli(eventMillis)));
        }
    }

    /** A kind of hostile record and its share of the draws, in percent. */
    private record Kind(int percent, Function<Draw, Hostile> make) {}

    private final Random random;
    private final int maxFieldLength;
    private final List<Kind> kinds;
    private int serial;

    public HostileRecords(long seed, int maxFieldLength) {
        this.random = new Random(seed);
        this.maxFieldLength = maxFieldLength;
        this.kinds = List.of(
                new Kind(12, d -> new Hostile("random bytes", d.key(), noise(), UNDECODABLE + "header")),
                new Kind(3, d -> new Hostile("shorter than a header", d.key(), bytes(random.nextInt(10)),
                        "bytes, fewer than the 10-byte single-object header")),
                new Kind(3, d -> new Hostile("tombstone", d.key(), null, UNDECODABLE + "no value (a tombstone)")),
                new Kind(12, d -> new Hostile("truncated Avro", d.key(), Arrays.copyOf(d.good(), 10 + random.nextInt(d.good().length - 10)),
                        UNDECODABLE + "truncated")),
                new Kind(8, d -> new Hostile("string length beyond the record", d.key(), claimingHugeString(d.good()), UNDECODABLE + "truncated")),
                new Kind(8, d -> new Hostile("bytes after the record", d.key(), withTrailingBytes(d.good()),
                        "bytes after the end of the InteractionEvent")),
                new Kind(10, this::anotherSchema),
                new Kind(4, d -> new Hostile("unknown schema", d.key(), withRandomFingerprint(d.good()), UNDECODABLE + "written with an unknown schema")),
                new Kind(8, d -> badId(d, "")),
                new Kind(8, d -> badId(d, "x".repeat(maxFieldLength + 1 + random.nextInt(4000)))),
                new Kind(1, d -> badId(d, "m".repeat(MEGABYTE))),
                new Kind(1, d -> new Hostile("megabyte record (its action)", d.key(), d.with(d.id(), d.user(), d.item(), "a".repeat(MEGABYTE), d.nowMillis()),
                        "action has " + MEGABYTE + TOO_LONG + maxFieldLength)),
                new Kind(6, this::timeBefore1970),
                new Kind(8, d -> new Hostile("time far in the future", d.key(), d.with(d.id(), d.user(), d.item(), "view", futureTime(d.nowMillis())),
                        "ms ahead of its Kafka record's timestamp")),
                new Kind(8, d -> new Hostile("Kafka key of another user", utf8(d.user() + "-other"), d.good(),
                        "Kafka key does not equal userId " + d.user())));
        if (kinds.stream().mapToInt(Kind::percent).sum() != 100) {
            throw new IllegalStateException("the kinds' shares must add up to 100%");
        }
    }

    /**
     * A hostile record about a real user and item.
     *
     * @param nowMillis about when it will be sent: its Kafka timestamp, which event times are checked against
     */
    public Hostile next(String user, String item, long nowMillis) {
        String id = "hostile-" + serial++;
        byte[] good = encode(new InteractionEvent(id, user, item, "view", Instant.ofEpochMilli(nowMillis)));
        Draw draw = new Draw(id, user, item, nowMillis, utf8(user), good);
        int dice = random.nextInt(100);
        for (Kind kind : kinds) {
            if (dice < kind.percent()) {
                return kind.make().apply(draw);
            }
            dice -= kind.percent();
        }
        throw new AssertionError("shares add up to 100%");
    }

    /** A record as a well-behaved producer writes it (Avro single-object encoding). */
    public static byte[] encode(SpecificRecordBase record) {
        try {
            return Bytes.of(new BinaryMessageEncoder<SpecificRecordBase>(record.getSpecificData(), record.getSchema()).encode(record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Random bytes that never start with the single-object marker, so their reason is always the header. */
    private byte[] noise() {
        byte[] noise = bytes(10 + random.nextInt(190));
        if (noise[0] == (byte) 0xC3) {
            noise[0] = 0;
        }
        return noise;
    }

    private Hostile anotherSchema(Draw d) {
        Instant now = Instant.ofEpochMilli(d.nowMillis());
        SpecificRecordBase other = switch (random.nextInt(3)) {
            case 0 -> new ModelRelease(d.id(), "file:/models/" + d.item(), "0".repeat(64), now);
            case 1 -> new Recommendation(d.user(), List.of(new RecommendedItem(d.item(), 1f)), "v1", d.id(), now, now);
            default -> new DeadLetter("interactions", 0, 0L, ByteBuffer.wrap(d.key()), null, "refused", now);
        };
        String schema = other.getSchema().getName();
        return new Hostile("a " + schema, d.key(), encode(other), UNDECODABLE + "written with the " + schema + " schema, not InteractionEvent");
    }

    /** One of the three ids replaced by {@code bad}; the Kafka key follows the user id, as a producer keys by it. */
    private Hostile badId(Draw d, String bad) {
        String field = IDS.get(random.nextInt(IDS.size()));
        byte[] value = d.with(field.equals("eventId") ? bad : d.id(), field.equals("userId") ? bad : d.user(),
                field.equals("itemId") ? bad : d.item(), "view", d.nowMillis());
        byte[] key = field.equals("userId") ? utf8(bad) : d.key();
        String kind = bad.isEmpty() ? "empty " + field : (bad.length() == MEGABYTE ? "megabyte " : "overlong ") + field;
        String reason = bad.isEmpty() ? field + " is empty" : field + " has " + bad.length() + TOO_LONG + maxFieldLength;
        return new Hostile(kind, key, value, reason);
    }

    private Hostile timeBefore1970(Draw d) {
        long negative = -1 - (random.nextLong() & Long.MAX_VALUE);
        return new Hostile("time before 1970", d.key(), d.with(d.id(), d.user(), d.item(), "view", negative),
                "eventTimeMillis " + negative + " is before 1970");
    }

    /** The header of a real event, then a string length of up to 1 GB that the record cannot back. */
    private byte[] claimingHugeString(byte[] good) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(good, 0, 10);
        long zigzag = 2L * (MEGABYTE + random.nextInt(1 << 30));
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
        out.writeBytes(bytes(random.nextInt(20)));
        return out.toByteArray();
    }

    private byte[] withTrailingBytes(byte[] good) {
        byte[] junk = bytes(1 + random.nextInt(64));
        byte[] out = Arrays.copyOf(good, good.length + junk.length);
        System.arraycopy(junk, 0, out, good.length, junk.length);
        return out;
    }

    private byte[] withRandomFingerprint(byte[] good) {
        byte[] out = good.clone();
        System.arraycopy(bytes(8), 0, out, 2, 8);
        return out;
    }

    /**
     * Well over the hour event.max.future.ms allows (the record is sent a little after {@code
     * nowMillis}): a skewed clock, microseconds for milliseconds, or the end of time.
     */
    private long futureTime(long nowMillis) {
        return switch (random.nextInt(3)) {
            case 0 -> nowMillis + 7_200_000L + (random.nextLong() & 0xFF_FFFF_FFFFL);
            case 1 -> nowMillis * 1_000;
            default -> Long.MAX_VALUE;
        };
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
