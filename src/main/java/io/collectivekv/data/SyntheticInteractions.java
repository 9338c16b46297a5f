package io.collectivekv.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded synthetic data set with structure a sequential model can learn, for the demo and for tests
 * that must run without the shared data sets.
 *
 * <p>Items fall into clusters (think genres) with Zipf-like popularity inside each. Every item has a few
 * preferred successors in its cluster, drawn by popularity: a sparse Markov chain. Each user likes one or
 * two clusters and mostly follows the chain, now and then jumping to a popular item of a favourite
 * cluster; no user meets an item twice. Lengths are log-normal around {@code meanLength}, at least
 * {@value #MIN_LENGTH}. Users are named "1".."users" and items "1".."items"; items no walk reached are
 * absent. The same parameters always give the same data.
 */
public record SyntheticInteractions(int users, int items, int clusters, double meanLength, long seed) {
    private static final int MIN_LENGTH = 5;
    /** Cumulative odds of taking an item's 1st, 2nd or 3rd preferred successor: a clear favourite, some spread. */
    private static final double[] SUCCESSOR_ODDS = {0.6, 0.85, 1.0};
    private static final double FOLLOW_CHAIN = 0.8;
    private static final double LENGTH_SIGMA = 0.5;
    private static final int JUMP_ATTEMPTS = 8;

    public SyntheticInteractions {
        if (users < 1 || clusters < 1) {
            throw new IllegalArgumentException("users and clusters must be at least 1, got " + users + " and " + clusters);
        }
        // Every cluster must hold a shortest sequence on its own, and an item plus its successors.
        if (items < clusters * MIN_LENGTH) {
            throw new IllegalArgumentException("items must be at least " + MIN_LENGTH + " per cluster, got " + items + " for " + clusters);
        }
        if (!(meanLength >= MIN_LENGTH)) {
            throw new IllegalArgumentException("meanLength must be at least " + MIN_LENGTH + ", got " + meanLength);
        }
    }

    public UserSequences generate() {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] members = dealIntoClusters(random);
        double[] zipf = zipfCumulative(members[0].length);
        int[][] successors = successors(members, zipf, random);
        String[] itemIds = new String[items];
        Arrays.setAll(itemIds, i -> Integer.toString(i + 1));

        Map<String, List<String>> itemsByUser = new LinkedHashMap<>();
        boolean[] seen = new boolean[items];
        for (int u = 0; u < users; u++) {
            int[] sequence = walk(favouriteClusters(random), members, successors, zipf, seen, random);
            for (int item : sequence) {
                seen[item] = false;
            }
            itemsByUser.put(Integer.toString(u + 1), Arrays.stream(sequence).mapToObj(i -> itemIds[i]).toList());
        }
        return UserSequences.of(itemsByUser);
    }

    /** Each cluster's items, most popular first. Items are shuffled first so ids say nothing about clusters. */
    private int[][] dealIntoClusters(SplittableRandom random) {
        int[] order = new int[items];
        Arrays.setAll(order, i -> i);
        for (int i = items - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[][] members = new int[clusters][];
        for (int c = 0; c < clusters; c++) {
            members[c] = new int[(items - c + clusters - 1) / clusters];
        }
        for (int i = 0; i < items; i++) {
            members[i % clusters][i / clusters] = order[i];
        }
        return members;
    }

    private static double[] zipfCumulative(int size) {
        double[] cumulative = new double[size];
        double sum = 0;
        for (int rank = 0; rank < size; rank++) {
            sum += 1.0 / (rank + 1);
            cumulative[rank] = sum;
        }
        return cumulative;
    }

    /** A popularity rank in a cluster of {@code size} items (clusters differ in size by at most one). */
    private static int popularRank(double[] zipf, int size, SplittableRandom random) {
        double target = random.nextDouble() * zipf[size - 1];
        int found = Arrays.binarySearch(zipf, 0, size, target);
        return found >= 0 ? found : -found - 1;
    }

    private int[][] successors(int[][] members, double[] zipf, SplittableRandom random) {
        int[][] successors = new int[items][];
        for (int[] cluster : members) {
            for (int item : cluster) {
                int[] next = new int[SUCCESSOR_ODDS.length];
                for (int k = 0; k < next.length; k++) {
                    int candidate;
                    do {
                        candidate = cluster[popularRank(zipf, cluster.length, random)];
                    } while (candidate == item || contains(next, k, candidate));
                    next[k] = candidate;
                }
                successors[item] = next;
            }
        }
        return successors;
    }

    private int[] favouriteClusters(SplittableRandom random) {
        int first = random.nextInt(clusters);
        if (clusters == 1 || random.nextBoolean()) {
            return new int[] {first};
        }
        int second = random.nextInt(clusters - 1);
        return new int[] {first, second >= first ? second + 1 : second};
    }

    private int[] walk(int[] favourites, int[][] members, int[][] successors, double[] zipf, boolean[] seen, SplittableRandom random) {
        int reachable = 0;
        for (int c : favourites) {
            reachable += members[c].length;
        }
        double logMean = Math.log(meanLength) - LENGTH_SIGMA * LENGTH_SIGMA / 2;
        int drawn = (int) Math.round(Math.exp(logMean + LENGTH_SIGMA * random.nextGaussian()));
        int[] sequence = new int[Math.min(reachable, Math.max(MIN_LENGTH, drawn))];
        int current = -1;
        for (int t = 0; t < sequence.length; t++) {
            int next = current >= 0 && random.nextDouble() < FOLLOW_CHAIN ? unseenSuccessor(successors[current], seen, random) : -1;
            if (next < 0) {
                next = jump(favourites, members, zipf, seen, random);
            }
            seen[next] = true;
            sequence[t] = next;
            current = next;
        }
        return sequence;
    }

    /** The chosen successor, or the next one along if the user has seen it; -1 if all are seen. */
    private static int unseenSuccessor(int[] next, boolean[] seen, SplittableRandom random) {
        double odds = random.nextDouble();
        int k = 0;
        while (odds >= SUCCESSOR_ODDS[k]) {
            k++;
        }
        for (int tried = 0; tried < next.length; tried++) {
            int candidate = next[(k + tried) % next.length];
            if (!seen[candidate]) {
                return candidate;
            }
        }
        return -1;
    }

    /** A popular unseen item of a favourite cluster; the sequence length never exceeds their size, so one exists. */
    private static int jump(int[] favourites, int[][] members, double[] zipf, boolean[] seen, SplittableRandom random) {
        for (int attempt = 0; attempt < JUMP_ATTEMPTS; attempt++) {
            int[] cluster = members[favourites[random.nextInt(favourites.length)]];
            int candidate = cluster[popularRank(zipf, cluster.length, random)];
            if (!seen[candidate]) {
                return candidate;
            }
        }
        for (int c : favourites) {
            for (int candidate : members[c]) {
                if (!seen[candidate]) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no unseen item left in the favourite clusters");
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }
}
