package io.collectivekv.job.serve;

import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * One user's keyed state (a Flink POJO: fields may be added in later versions, and Flink's POJO
 * serializer migrates savepoints taken before).
 */
public class UserState {
    /** Name of the keyed state, as the job and the savepoint tools (re-encode, inspection) address it. */
    public static final String STATE_NAME = "user";

    /** The last W item rows, oldest first, in the vocabulary of the model {@link #modelId}. */
    public int[] window = new int[0];
    /** The external ids of the window's items, so a new model with another vocabulary can re-map them. */
    public String[] windowItemIds = new String[0];
    /** The compact cache (CacheCodec bytes), or null in cache mode none or before the first event. */
    public byte[] cache;
    /** Cache-compatibility id of the model that mapped {@link #window} and computed {@link #cache}. */
    public String modelId;
    /** Events applied to this user (duplicates excluded). */
    public long eventCount;
    /** The most recent event ids, a ring of bounded size, for dedup. */
    public String[] recentEventIds = new String[0];
    /** Next slot of the ring to overwrite. */
    public int recentNext;

    public UserState() {}

    /**
     * The keyed state's descriptor. The job and the savepoint tools must build the same one: a
     * savepoint written without TTL cannot be read with it, and the other way round.
     *
     * @param ttlMillis drop a user's state after this long without a write, in processing time (0 = never)
     */
    public static ValueStateDescriptor<UserState> descriptor(long ttlMillis) {
        ValueStateDescriptor<UserState> descriptor = new ValueStateDescriptor<>(STATE_NAME, TypeInformation.of(UserState.class));
        if (ttlMillis > 0) {
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(ttlMillis))
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .build());
        }
        return descriptor;
    }

    /** A deep copy, so that a failed update leaves the stored state as it was. */
    UserState copy() {
        UserState c = new UserState();
        c.become(this);
        c.window = window.clone();
        c.windowItemIds = windowItemIds.clone();
        c.recentEventIds = recentEventIds.clone();
        return c;
    }

    /** Takes over the fields of {@code other}. */
    void become(UserState other) {
        window = other.window;
        windowItemIds = other.windowItemIds;
        cache = other.cache;
        modelId = other.modelId;
        eventCount = other.eventCount;
        recentEventIds = other.recentEventIds;
        recentNext = other.recentNext;
    }

    boolean remembers(String eventId) {
        for (String id : recentEventIds) {
            if (eventId.equals(id)) {
                return true;
            }
        }
        return false;
    }

    void remember(String eventId, int capacity) {
        if (capacity == 0) {
            return;
        }
        if (recentEventIds.length < capacity) {
            recentEventIds = Arrays.copyOf(recentEventIds, recentEventIds.length + 1);
            recentEventIds[recentEventIds.length - 1] = eventId;
            recentNext = recentEventIds.length % capacity;
        } else {
            recentEventIds[recentNext] = eventId;
            recentNext = (recentNext + 1) % capacity;
        }
    }

    /** Appends an item and keeps at most {@code window} of them. */
    void append(int row, String itemId, int window) {
        int keep = Math.min(this.window.length + 1, window);
        int[] rows = new int[keep];
        String[] ids = new String[keep];
        int drop = this.window.length + 1 - keep;
        System.arraycopy(this.window, drop, rows, 0, keep - 1);
        System.arraycopy(windowItemIds, drop, ids, 0, keep - 1);
        rows[keep - 1] = row;
        ids[keep - 1] = itemId;
        this.window = rows;
        this.windowItemIds = ids;
    }

    /** Approximate bytes of this state once serialized (for the state-size metric). */
    long approximateBytes() {
        long bytes = 4L * window.length + (cache == null ? 0 : cache.length) + 16;
        for (String id : windowItemIds) {
            bytes += id.length() + 1;
        }
        for (String id : recentEventIds) {
            bytes += id == null ? 1 : id.length() + 1;
        }
        return bytes;
    }
}
