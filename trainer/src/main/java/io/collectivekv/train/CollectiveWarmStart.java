package io.collectivekv.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.eval.LeaveOneOutSplit;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.LayerEntries;
import io.collectivekv.nn.ParameterSpec;
import io.collectivekv.nn.SequenceModel;
import io.collectivekv.nn.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Starts a {@code collective} model from a trained {@code full} model of the same shape, so the
 * collective training begins where the full one ended instead of from noise.
 *
 * <p>A full layer computes k = act(z), z = W_k n + b_k (act = SiLU for HSTU, identity for SASRec).
 * A collective layer stores k = [P[a] ; SiLU(W_u n + b_u)]. Per layer and side:
 * <ul>
 *   <li>every weight the two models share (item table, norms, queries, position bias, output
 *       projections) is copied;
 *   <li>the first d − d_u dimensions of z are clustered into m centroids c_j (k-means on tokens of
 *       the training split only); the pool row j is the mean of act(z) over cluster j, the best
 *       constant stand-in for the keys the cluster holds;
 *   <li>the router is nearest-centroid routing, which is linear in n:
 *       argmin_j ‖z − c_j‖² = argmax_j (2 c_j·z − ‖c_j‖²) = argmax_j (n · 2 W_k c_j + 2 b_k·c_j − ‖c_j‖²),
 *       scaled so the logits spread by about one across the pool (the balance loss asks for a
 *       flat softmax) and shifted so the chosen logit sits near {@link #PEAK_LOGIT} (σ ≈ 1: the
 *       training gate and the peak loss start satisfied);
 *   <li>the user part takes the last d_u columns of W_k and entries of b_k: exactly the full
 *       model's last d_u key dimensions for HSTU.
 * </ul>
 * At the start, then, the collective model is the full model with the shared part of every key
 * and value vector-quantised to m entries.
 */
public final class CollectiveWarmStart {
    /**
     * Tokens the clustering sees: distinct positions of each user's last W training items, at most
     * {@link #TOKENS_PER_USER} per user (a user's tokens are alike), from users enough for about
     * {@link #SAMPLE_TOKENS} in all (all of ML-1M's 6,040).
     */
    static final int SAMPLE_TOKENS = 200_000;
    static final int TOKENS_PER_USER = 32;
    static final int KMEANS_ITERATIONS = 15;
    /** The chosen router logit on average at the start: σ(6) = 0.9975. */
    static final float PEAK_LOGIT = 6f;
    /**
     * Cells of the (tokens × m) distance matrix computed at once: 16 MB, under glibc's 32 MB mmap
     * threshold, above which every chunk would be fresh pages faulted in and zeroed (QUALITY.md, the recipe).
     */
    private static final int CHUNK_CELLS = 1 << 22;

    private CollectiveWarmStart() {}

    /**
     * @param full        the full model's config
     * @param fullWeights its trained weights
     * @param target      the collective model to start: same encoder, d, layers, heads, window, items
     * @param data        the training data; only its training split (all but the last two items) is read
     */
    public static Weights fromFull(ModelConfig full, Weights fullWeights, ModelConfig target, EncodedSequences data, long seed) {
        check(full, target);
        SequenceModel fullModel = new SequenceModel(full, 0f);
        SequenceModel targetModel = new SequenceModel(target, 0f);
        Weights start = Weights.empty();
        Map<String, ParameterSpec> fullSpecs = new LinkedHashMap<>();
        fullModel.parameters().forEach(s -> fullSpecs.put(s.name(), s));
        for (ParameterSpec spec : targetModel.parameters()) {
            if (fullSpecs.containsKey(spec.name())) { // shared; the pools, routers and user parts are fitted below
                start.put(spec.name(), spec.shape(), fullWeights.values(spec.name()).clone());
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        try (NDManager root = Engine.getEngine(Trainer.ENGINE).newBaseManager()) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (ParameterSpec spec : fullModel.parameters()) {
                params.put(spec.name(), root.create(fullWeights.values(spec.name()), new Shape(spec.shape())));
            }
            List<LayerSample> samples = sample(fullModel, params, root, trainingSequences(data, full.window(), random), random);
            for (int l = 0; l < full.layers(); l++) {
                for (String side : new String[] {"key", "value"}) {
                    String prefix = "layer" + l + ".";
                    LayerSample s = samples.get(l);
                    fit(root, target, fullWeights.values(prefix + side + ".weight"), fullWeights.values(prefix + side + ".bias"),
                            s.inputs, side.equals("key") ? s.keys : s.values, s.tokens, prefix + side, start, random);
                }
            }
        }
        return start;
    }

    private static void check(ModelConfig full, ModelConfig target) {
        if (full.kvMode() != KvMode.FULL) {
            throw new IllegalArgumentException("init-from: the model to start from must have kv mode full, it has " + full.kvMode().id());
        }
        if (target.kvMode() != KvMode.COLLECTIVE) {
            throw new IllegalArgumentException("init-from: only a collective model starts from a full one; kv-mode is " + target.kvMode().id());
        }
        if (full.encoder() != target.encoder() || full.d() != target.d() || full.layers() != target.layers()
                || full.heads() != target.heads() || full.window() != target.window() || full.items() != target.items()
                || full.relPosBuckets() != target.relPosBuckets()) {
            throw new IllegalArgumentException("init-from: the full model (" + full.encoder().id() + ", d " + full.d() + ", layers "
                    + full.layers() + ", heads " + full.heads() + ", window " + full.window() + ", items " + full.items()
                    + ", buckets " + full.relPosBuckets() + ") differs from the model to train (" + target.encoder().id() + ", d "
                    + target.d() + ", layers " + target.layers() + ", heads " + target.heads() + ", window " + target.window()
                    + ", items " + target.items() + ", buckets " + target.relPosBuckets() + ")");
        }
    }

    /**
     * Training sequences (all but each user's last two items) in a seeded random order, as many as
     * give about {@link #SAMPLE_TOKENS} sampled tokens.
     */
    private static List<int[]> trainingSequences(EncodedSequences data, int window, SplittableRandom random) {
        List<int[]> all = new ArrayList<>();
        for (int[] s : LeaveOneOutSplit.of(data).training()) {
            if (s.length > 0) {
                all.add(s);
            }
        }
        Collections.shuffle(all, new Random(random.nextLong()));
        long tokens = 0;
        int users = 0;
        while (users < all.size() && tokens < SAMPLE_TOKENS) {
            tokens += picks(all.get(users++), window);
        }
        return all.subList(0, users);
    }

    private static int picks(int[] sequence, int window) {
        return Math.min(TOKENS_PER_USER, Math.min(sequence.length, window));
    }

    /** Per layer, sampled tokens' normalised inputs n (N, d) and full keys and values (N, d), row-major. */
    private record LayerSample(float[] inputs, float[] keys, float[] values, int tokens) {}

    private static List<LayerSample> sample(SequenceModel model, Map<String, NDArray> params, NDManager root,
            List<int[]> sequences, SplittableRandom random) {
        ModelConfig config = model.config();
        int d = config.d();
        int total = 0;
        for (int[] s : sequences) {
            total += picks(s, config.window());
        }
        List<LayerSample> out = new ArrayList<>();
        for (int l = 0; l < config.layers(); l++) {
            out.add(new LayerSample(new float[total * d], new float[total * d], new float[total * d], total));
        }
        int row = 0;
        int batchSize = 32;
        for (int from = 0; from < sequences.size(); from += batchSize) {
            List<int[]> batch = sequences.subList(from, Math.min(sequences.size(), from + batchSize));
            int tokens = 1;
            for (int[] s : batch) {
                tokens = Math.max(tokens, Math.min(s.length, config.window()));
            }
            long[] items = new long[batch.size() * tokens];
            List<Integer> picked = new ArrayList<>(); // flat positions b · tokens + t
            for (int b = 0; b < batch.size(); b++) {
                int[] s = batch.get(b);
                int length = Math.min(s.length, config.window());
                int[] positions = new int[length];
                for (int t = 0; t < length; t++) {
                    items[b * tokens + t] = s[s.length - length + t];
                    positions[t] = t;
                }
                // Distinct positions (a partial Fisher–Yates): a short history is taken whole.
                for (int k = 0; k < picks(s, config.window()); k++) {
                    int swap = k + random.nextInt(length - k);
                    int p = positions[swap];
                    positions[swap] = positions[k];
                    positions[k] = p;
                    picked.add(b * tokens + p);
                }
            }
            try (NDManager scope = root.newSubManager()) {
                DjlOps ops = new DjlOps(params, scope, false);
                SequenceModel.Forward<NDArray> fwd = model.forward(ops, scope.create(items, new Shape(batch.size(), tokens)), null,
                        BandedCausalLayout.of(scope, tokens, config.window()));
                for (int l = 0; l < config.layers(); l++) {
                    LayerEntries<NDArray> e = fwd.entries().get(l);
                    float[] n = fwd.kvInputs().get(l).toFloatArray();  // (B, T, d)
                    float[] k = e.keyPart().toFloatArray();            // (B, T, d)
                    float[] v = e.valuePart().toFloatArray();          // (B, T, d)
                    LayerSample target = out.get(l);
                    for (int i = 0; i < picked.size(); i++) {
                        int at = picked.get(i) * d;
                        System.arraycopy(n, at, target.inputs, (row + i) * d, d);
                        System.arraycopy(k, at, target.keys, (row + i) * d, d);
                        System.arraycopy(v, at, target.values, (row + i) * d, d);
                    }
                }
            }
            row += picked.size();
        }
        return out;
    }

    /**
     * Fits one side of one layer: pool, router and user part, written into {@code start}.
     *
     * @param weight  the full projection W (d, d), applied as n W
     * @param bias    its bias (d)
     * @param inputs  sampled n (N, d)
     * @param outputs the full model's act(n W + b) for the same tokens (N, d)
     */
    private static void fit(NDManager root, ModelConfig target, float[] weight, float[] bias, float[] inputs, float[] outputs,
            int tokens, String name, Weights start, SplittableRandom random) {
        int d = target.d();
        int s = target.sharedDim();
        int m = target.poolSize();
        float[] sharedWeight = columns(weight, d, d, 0, s);  // (d, s)
        float[] sharedBias = Arrays.copyOf(bias, s);
        float[] z;                                           // (N, s) = n W_s + b_s
        try (NDManager scope = root.newSubManager()) {
            z = scope.create(inputs, new Shape(tokens, d)).matMul(scope.create(sharedWeight, new Shape(d, s)))
                    .add(scope.create(sharedBias, new Shape(s))).toFloatArray();
        }
        float[] act = columns(outputs, tokens, d, 0, s);     // (N, s), the shared part of the full keys
        float[] centroids = seeds(root, z, tokens, s, m, random);
        int[] assignment = new int[tokens];
        for (int it = 0; it < KMEANS_ITERATIONS; it++) {
            assign(root, z, centroids, tokens, s, m, assignment, null);
            int[] counts = new int[m];
            float[] means = clusterMeans(z, assignment, s, m, counts);
            for (int j = 0; j < m; j++) {
                if (counts[j] == 0) {
                    // An empty cluster restarts at a random token rather than stay unused.
                    System.arraycopy(z, random.nextInt(tokens) * s, centroids, j * s, s);
                } else {
                    System.arraycopy(means, j * s, centroids, j * s, s);
                }
            }
        }
        double[] logitStats = new double[3]; // Σ raw logit, Σ raw², Σ chosen raw logit
        assign(root, z, centroids, tokens, s, m, assignment, logitStats);

        int[] counts = new int[m];
        float[] pool = clusterMeans(act, assignment, s, m, counts);
        for (int j = 0; j < m; j++) {
            if (counts[j] == 0) {
                // An entry no sampled token chose (e.g. a centroid duplicated when m exceeds the
                // distinct inputs, whose tie the router may break the other way) serves what its
                // nearest chosen centroid serves.
                int nearest = nearestUsed(centroids, counts, j, s, m);
                System.arraycopy(pool, nearest * s, pool, j * s, s);
            }
        }

        long cells = (long) tokens * m;
        double mean = logitStats[0] / cells;
        double std = Math.sqrt(Math.max(1e-12, logitStats[1] / cells - mean * mean));
        float scale = (float) (1 / std);
        float shift = (float) (PEAK_LOGIT - scale * logitStats[2] / tokens);
        float[] routerWeight = new float[d * m]; // (d, m) = scale · 2 W_s Cᵀ
        float[] routerBias = new float[m];       // scale · (2 b_s·c_j − ‖c_j‖²) + shift
        for (int j = 0; j < m; j++) {
            double norm = 0;
            double dotBias = 0;
            for (int c = 0; c < s; c++) {
                float cj = centroids[j * s + c];
                norm += cj * cj;
                dotBias += sharedBias[c] * cj;
            }
            routerBias[j] = (float) (scale * (2 * dotBias - norm) + shift);
            for (int r = 0; r < d; r++) {
                double dot = 0;
                for (int c = 0; c < s; c++) {
                    dot += sharedWeight[r * s + c] * centroids[j * s + c];
                }
                routerWeight[r * m + j] = (float) (scale * 2 * dot);
            }
        }
        start.put(name + "_pool", new long[] {m, s}, pool);
        start.put(name + "_router.weight", new long[] {d, m}, routerWeight);
        start.put(name + "_router.bias", new long[] {m}, routerBias);
        start.put(name + "_user.weight", new long[] {d, target.userDim()}, columns(weight, d, d, s, d));
        start.put(name + "_user.bias", new long[] {target.userDim()}, Arrays.copyOfRange(bias, s, d));
    }

    /**
     * k-means++ seeding (Arthur and Vassilvitskii, 2007): each further centroid is a token drawn
     * with probability proportional to its squared distance from the nearest centroid so far, so
     * no token is picked twice (up to rounding) while a distinct one is left uncovered.
     */
    private static float[] seeds(NDManager root, float[] z, int tokens, int s, int m, SplittableRandom random) {
        float[] centroids = new float[m * s];
        float[] nearest = new float[tokens]; // squared distance of every token to its nearest seed so far
        Arrays.fill(nearest, Float.MAX_VALUE);
        try (NDManager scope = root.newSubManager()) {
            NDArray pointsT = scope.create(z, new Shape(tokens, s)).transpose();   // (s, N)
            NDArray squares = pointsT.square().sum(new int[] {0});                // (N)
            int pick = random.nextInt(tokens);
            for (int j = 0; j < m; j++) {
                System.arraycopy(z, pick * s, centroids, j * s, s);
                float[] distance;
                // The seed is the left operand, so every intermediate belongs to this step's manager.
                try (NDManager step = scope.newSubManager()) {
                    NDArray c = step.create(Arrays.copyOfRange(z, pick * s, (pick + 1) * s), new Shape(1, s));
                    // ‖z − c‖² = ‖z‖² − 2 z·c + ‖c‖²
                    distance = c.matMul(pointsT).mul(-2f).add(squares).add(c.square().sum()).toFloatArray();
                }
                double total = 0;
                for (int i = 0; i < tokens; i++) {
                    nearest[i] = Math.min(nearest[i], Math.max(0f, distance[i])); // clamped at 0 against rounding
                    total += nearest[i];
                }
                double target = random.nextDouble() * total;
                pick = random.nextInt(tokens); // every token already a seed: any will do
                for (int i = 0; i < tokens && total > 0; i++) {
                    target -= nearest[i];
                    if (target <= 0 && nearest[i] > 0) {
                        pick = i;
                        break;
                    }
                }
            }
        }
        return centroids;
    }

    /**
     * Nearest centroid of every token: argmax_j (2 z·c_j − ‖c_j‖²), ties to the lowest index as the
     * router's argmax. With {@code stats}, also accumulates Σ, Σ² of every raw logit and Σ of the chosen ones.
     */
    private static void assign(NDManager root, float[] z, float[] centroids, int tokens, int s, int m, int[] assignment, double[] stats) {
        try (NDManager scope = root.newSubManager()) {
            NDArray c = scope.create(centroids, new Shape(m, s));
            NDArray norms = c.square().sum(new int[] {1});                                      // (m)
            NDArray cT = c.transpose().mul(2f);                                                  // (s, m)
            int chunkRows = Math.max(1, CHUNK_CELLS / m);
            for (int from = 0; from < tokens; from += chunkRows) {
                int rows = Math.min(chunkRows, tokens - from);
                try (NDManager chunk = scope.newSubManager()) {
                    float[] part = Arrays.copyOfRange(z, from * s, (from + rows) * s);
                    NDArray logits = chunk.create(part, new Shape(rows, s)).matMul(cT).sub(norms); // (rows, m)
                    long[] best = logits.argMax(1).toLongArray();
                    for (int i = 0; i < rows; i++) {
                        assignment[from + i] = (int) best[i];
                    }
                    if (stats != null) {
                        stats[0] += logits.sum().getFloat();
                        stats[1] += logits.square().sum().getFloat();
                        stats[2] += logits.max(new int[] {1}).sum().getFloat();
                    }
                }
            }
        }
    }

    /** Per cluster, the mean (m, s) of its rows of {@code rows} (N, s); {@code counts} receives the cluster sizes (an empty cluster's mean is 0). */
    private static float[] clusterMeans(float[] rows, int[] assignment, int s, int m, int[] counts) {
        float[] sums = new float[m * s];
        for (int i = 0; i < assignment.length; i++) {
            counts[assignment[i]]++;
            for (int c = 0; c < s; c++) {
                sums[assignment[i] * s + c] += rows[i * s + c];
            }
        }
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < s && counts[j] > 0; c++) {
                sums[j * s + c] /= counts[j];
            }
        }
        return sums;
    }

    private static int nearestUsed(float[] centroids, int[] counts, int j, int s, int m) {
        int best = j;
        double bestDistance = Double.MAX_VALUE;
        for (int k = 0; k < m; k++) {
            if (counts[k] == 0) {
                continue;
            }
            double dist = 0;
            for (int c = 0; c < s; c++) {
                double diff = centroids[j * s + c] - centroids[k * s + c];
                dist += diff * diff;
            }
            if (dist < bestDistance) {
                bestDistance = dist;
                best = k;
            }
        }
        return best;
    }

    /** Columns [from, to) of a row-major (rows, cols) matrix. */
    private static float[] columns(float[] matrix, int rows, int cols, int from, int to) {
        int width = to - from;
        float[] out = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(matrix, r * cols + from, out, r * width, width);
        }
        return out;
    }
}
