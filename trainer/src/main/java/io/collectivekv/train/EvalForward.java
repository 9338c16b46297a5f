package io.collectivekv.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.collectivekv.cache.KvCache;
import io.collectivekv.eval.SequenceScorer;
import io.collectivekv.inference.Inference;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.LayerEntries;
import io.collectivekv.nn.SequenceModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trainer's own forward pass in eval mode (no dropout, no gate) over whole sequences with the
 * banded causal mask: the reference that the exported prefill and step must reproduce, and the
 * scorer of validation during training. Sequences are cut to their last {@code maxTokens} items; a
 * sequence longer than W within that is encoded with the sliding-window semantics of a step with
 * eviction.
 */
public final class EvalForward implements SequenceScorer {
    private final SequenceModel model;
    private final Map<String, NDArray> parameters;
    private final NDManager manager;
    private final int maxTokens;

    /** @param maxTokens histories are cut to their most recent maxTokens items before encoding */
    EvalForward(SequenceModel model, Map<String, NDArray> parameters, NDManager manager, int maxTokens) {
        this.model = model;
        this.parameters = parameters;
        this.manager = manager;
        this.maxTokens = maxTokens;
    }

    @Override
    public float[][] scores(List<int[]> histories) {
        List<Inference> out = run(histories);
        float[][] s = new float[out.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = out.get(i).scores();
        }
        return s;
    }

    /** Per sequence: its last W tokens' cache entries, and scores and user vector after its last item. */
    public List<Inference> run(List<int[]> sequences) {
        ModelConfig config = model.config();
        int batch = sequences.size();
        int tokens = 1;
        for (int[] s : sequences) {
            tokens = Math.max(tokens, Math.min(s.length, maxTokens));
        }
        long[] items = new long[batch * tokens];
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            int[] s = sequences.get(b);
            lengths[b] = Math.min(s.length, maxTokens);
            for (int t = 0; t < lengths[b]; t++) {
                items[b * tokens + t] = s[s.length - lengths[b] + t];
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            DjlOps ops = new DjlOps(parameters, scope, false);
            SequenceModel.Forward<NDArray> fwd = model.forward(ops,
                    scope.create(items, new Shape(batch, tokens)), null, BandedCausalLayout.of(scope, tokens, config.window()));
            float[] hidden = fwd.hidden().toFloatArray();                                    // (B, T, d)
            List<float[][]> entries = entryArrays(fwd.entries(), config);
            int d = config.d();
            float[] last = new float[batch * d];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(hidden, (b * tokens + lengths[b] - 1) * d, last, b * d, d);
            }
            float[] scores = model.scores(ops, scope.create(last, new Shape(batch, d))).toFloatArray(); // (B, R)
            List<Inference> results = new ArrayList<>(batch);
            int rows = config.itemRows();
            for (int b = 0; b < batch; b++) {
                float[] s = new float[rows];
                System.arraycopy(scores, b * rows, s, 0, rows);
                float[] u = new float[d];
                System.arraycopy(last, b * d, u, 0, d);
                results.add(new Inference(cache(entries, config, b, tokens, lengths[b]), s, u));
            }
            return results;
        }
    }

    /** Per layer: {keyIndex, valueIndex, keyPart, valuePart} as heap arrays (indices as floats). */
    private static List<float[][]> entryArrays(List<LayerEntries<NDArray>> entries, ModelConfig config) {
        List<float[][]> out = new ArrayList<>();
        for (LayerEntries<NDArray> e : entries) {
            boolean collective = config.kvMode() == KvMode.COLLECTIVE;
            out.add(new float[][] {
                collective ? toFloats(e.keyIndex().toLongArray()) : null,
                collective ? toFloats(e.valueIndex().toLongArray()) : null,
                e.keyPart().toFloatArray(),
                e.valuePart().toFloatArray()});
        }
        return out;
    }

    /** The cache of row b: its last min(length, W) tokens, as a step with eviction would hold. */
    private static KvCache cache(List<float[][]> entries, ModelConfig config, int b, int tokens, int length) {
        int keep = Math.min(length, config.window());
        int first = length - keep;
        int layers = config.layers();
        int w = KvCache.entryWidth(config);
        boolean collective = config.kvMode() == KvMode.COLLECTIVE;
        int[] ki = new int[collective ? layers * keep : 0];
        int[] vi = new int[ki.length];
        float[] kp = new float[layers * keep * w];
        float[] vp = new float[kp.length];
        for (int l = 0; l < layers; l++) {
            float[][] e = entries.get(l);
            for (int t = 0; t < keep; t++) {
                int src = b * tokens + first + t;
                int dst = l * keep + t;
                if (collective) {
                    ki[dst] = (int) e[0][src];
                    vi[dst] = (int) e[1][src];
                }
                System.arraycopy(e[2], src * w, kp, dst * w, w);
                System.arraycopy(e[3], src * w, vp, dst * w, w);
            }
        }
        return KvCache.of(config, keep, ki, vi, kp, vp);
    }

    private static float[] toFloats(long[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = values[i];
        }
        return f;
    }
}
