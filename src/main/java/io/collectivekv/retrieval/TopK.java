package io.collectivekv.retrieval;

import io.collectivekv.model.ModelConfig;
import java.util.BitSet;
import java.util.PriorityQueue;

/**
 * Exact top-K over a score row. Padding and unknown rows are never recommended; {@code excluded}
 * rows (typically what the user has seen) are skipped. Equal scores rank the lower row first, so
 * every caller (offline eval, the job, the tests) agrees on the order.
 */
public final class TopK {
    private TopK() {}

    public static RankedItems select(float[] scores, int k, BitSet excluded) {
        if (k <= 0) {
            return new RankedItems(new int[0], new float[0]);
        }
        k = Math.min(k, scores.length);
        // Min-heap on (score, -row): its head is the weakest of the current best k.
        PriorityQueue<Integer> heap = new PriorityQueue<>(k + 1, (a, b) -> {
            int c = Float.compare(scores[a], scores[b]);
            return c != 0 ? c : Integer.compare(b, a);
        });
        for (int row = ModelConfig.RESERVED_ROWS; row < scores.length; row++) {
            if (excluded != null && excluded.get(row)) {
                continue;
            }
            if (heap.size() < k) {
                heap.add(row);
            } else if (better(scores, row, heap.peek())) {
                heap.poll();
                heap.add(row);
            }
        }
        int n = heap.size();
        int[] rows = new int[n];
        float[] best = new float[n];
        for (int i = n - 1; i >= 0; i--) {
            int row = heap.poll();
            rows[i] = row;
            best[i] = scores[row];
        }
        return new RankedItems(rows, best);
    }

    private static boolean better(float[] scores, int row, int other) {
        int c = Float.compare(scores[row], scores[other]);
        return c > 0 || (c == 0 && row < other);
    }
}
