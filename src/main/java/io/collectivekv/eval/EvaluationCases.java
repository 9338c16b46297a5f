package io.collectivekv.eval;

import java.util.Arrays;
import java.util.List;

/**
 * Held-out next-item cases: for each evaluated user, the history the model sees and the row it should
 * rank first. {@code users} are indices into the encoded data set; they seed the sampled protocol.
 */
public final class EvaluationCases {
    private final int tableRows;
    private final int[] users;
    private final List<int[]> histories;
    private final int[] targets;

    EvaluationCases(int tableRows, int[] users, List<int[]> histories, int[] targets) {
        this.tableRows = tableRows;
        this.users = users;
        this.histories = List.copyOf(histories);
        this.targets = targets;
    }

    public int size() {
        return targets.length;
    }

    /** N + 2, the length of every scores row. */
    public int tableRows() {
        return tableRows;
    }

    public int user(int i) {
        return users[i];
    }

    /** The model's input, oldest first. Shared, not copied: do not modify. */
    public int[] history(int i) {
        return histories.get(i);
    }

    public int target(int i) {
        return targets[i];
    }

    /** The histories of cases [from, to), shared like {@link #history}. */
    public List<int[]> histories(int from, int to) {
        return histories.subList(from, to);
    }

    /** The first {@code k} cases (all if there are fewer): a quick validation during training. */
    public EvaluationCases first(int k) {
        int n = Math.min(k, size());
        return new EvaluationCases(tableRows, Arrays.copyOf(users, n), histories.subList(0, n), Arrays.copyOf(targets, n));
    }
}
