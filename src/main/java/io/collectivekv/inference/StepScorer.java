package io.collectivekv.inference;

import io.collectivekv.cache.CacheCodec;
import io.collectivekv.cache.KvCache;
import io.collectivekv.eval.SequenceScorer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores histories the way the streaming job does on an event: the cache of everything before the
 * last item is prefilled, passed through the state codec (so its precision counts), and the last
 * item is one incremental step. Comparing it with {@link PrefillScorer} measures what the codec's
 * precision costs.
 */
public final class StepScorer implements SequenceScorer {
    private final ModelSession session;
    private final CacheCodec codec;

    public StepScorer(ModelSession session, CacheCodec codec) {
        this.session = session;
        this.codec = codec;
    }

    @Override
    public float[][] scores(List<int[]> histories) {
        List<int[]> prefixes = new ArrayList<>();
        for (int[] h : histories) {
            if (h.length > 1) {
                prefixes.add(Arrays.copyOf(h, h.length - 1));
            }
        }
        List<Inference> prefilled = prefixes.isEmpty() ? List.of() : session.prefill(prefixes);
        List<KvCache> caches = new ArrayList<>();
        int next = 0;
        for (int[] h : histories) {
            caches.add(h.length > 1 ? codec.decode(codec.encode(prefilled.get(next++).cache())) : KvCache.empty(session.config()));
        }
        int[] last = histories.stream().mapToInt(h -> h[h.length - 1]).toArray();
        return session.step(caches, last).stream().map(Inference::scores).toArray(float[][]::new);
    }
}
