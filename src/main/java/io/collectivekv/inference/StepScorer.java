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
        float[][] out = new float[histories.size()][];
        List<int[]> prefixes = new ArrayList<>();
        List<Integer> withPrefix = new ArrayList<>();
        for (int i = 0; i < histories.size(); i++) {
            int[] h = histories.get(i);
            if (h.length > 1) {
                prefixes.add(Arrays.copyOf(h, h.length - 1));
                withPrefix.add(i);
            }
        }
        List<KvCache> caches = new ArrayList<>();
        List<Inference> prefilled = prefixes.isEmpty() ? List.of() : session.prefill(prefixes);
        int next = 0;
        for (int i = 0; i < histories.size(); i++) {
            boolean hasPrefix = next < withPrefix.size() && withPrefix.get(next) == i;
            caches.add(hasPrefix ? codec.decode(codec.encode(prefilled.get(next++).cache())) : KvCache.empty(session.config()));
        }
        int[] last = histories.stream().mapToInt(h -> h[h.length - 1]).toArray();
        List<Inference> stepped = session.step(caches, last);
        for (int i = 0; i < out.length; i++) {
            out[i] = stepped.get(i).scores();
        }
        return out;
    }
}
