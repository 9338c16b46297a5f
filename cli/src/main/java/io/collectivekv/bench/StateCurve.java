package io.collectivekv.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.collectivekv.cache.CacheCodec;
import io.collectivekv.cache.Precision;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.util.List;

/**
 * A user's state in bytes against the length of their history, per cache mode: the cache as
 * CacheCodec lays it out (W tokens at most, so flat past W) plus what every mode keeps (the
 * window's rows and item ids, the ids of the last events for dedup), counted as the job's
 * {@code stateBytesPerUser} metric counts them ({@code UserState.approximateBytes}).
 */
public final class StateCurve {
    private StateCurve() {}

    /**
     * @param config        the served model's shape (either kv mode)
     * @param precision     the cache's float precision in state
     * @param dedup         event ids remembered per user
     * @param itemIdLength  mean item id length (characters)
     * @param eventIdLength mean event id length (characters)
     * @param upTo          longest history to compute
     */
    public static ObjectNode compute(ModelConfig config, Precision precision, int dedup, double itemIdLength,
            double eventIdLength, int upTo) {
        JsonNodeFactory j = JsonNodeFactory.instance;
        ObjectNode curve = j.objectNode();
        int w = config.window();
        ObjectNode assumptions = curve.putObject("assumptions");
        assumptions.put("d", config.d());
        assumptions.put("layers", config.layers());
        assumptions.put("d_u", config.userDim());
        assumptions.put("window", w);
        assumptions.put("precision", precision.id());
        assumptions.put("dedup_remembered_events", dedup);
        Stats.put(assumptions, "mean_item_id_length", itemIdLength);
        Stats.put(assumptions, "mean_event_id_length", eventIdLength);
        ArrayNode history = curve.putArray("history");
        for (int n = 1; n <= upTo; n++) {
            history.add(n);
        }
        CacheCodec collective = new CacheCodec(config.withKvMode(KvMode.COLLECTIVE), precision);
        CacheCodec full = new CacheCodec(config.withKvMode(KvMode.FULL), precision);
        for (String mode : List.of("collective", "full", "none")) {
            ArrayNode cache = curve.putArray(mode + "_cache");
            ArrayNode total = curve.putArray(mode + "_total");
            for (int n = 1; n <= upTo; n++) {
                int tokens = Math.min(n, w);
                long c = switch (mode) {
                    case "collective" -> collective.encodedSize(tokens);
                    case "full" -> full.encodedSize(tokens);
                    default -> 0;
                };
                double other = 16 + tokens * (4 + itemIdLength + 1) + Math.min(n, dedup) * (eventIdLength + 1);
                cache.add(c);
                total.add(Math.round(c + other));
            }
        }
        curve.put("collective_cache_at_w", collective.encodedSize(w));
        curve.put("full_cache_at_w", full.encodedSize(w));
        return curve;
    }
}
