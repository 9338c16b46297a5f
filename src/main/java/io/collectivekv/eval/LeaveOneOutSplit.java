package io.collectivekv.eval;

import io.collectivekv.data.EncodedSequences;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The standard leave-one-out split: per user, the last item is the test target (input: everything
 * before it), the second-to-last the validation target (input: everything before that), and training
 * sees all but the last two. Users with fewer than 3 items could not give all three parts, so they
 * contribute training data only (all their items) and are not evaluated.
 */
public final class LeaveOneOutSplit {
    private static final int MIN_EVALUATED_LENGTH = 3;

    private final List<int[]> training;
    private final EvaluationCases validation;
    private final EvaluationCases test;

    private LeaveOneOutSplit(List<int[]> training, EvaluationCases validation, EvaluationCases test) {
        this.training = training;
        this.validation = validation;
        this.test = test;
    }

    public static LeaveOneOutSplit of(EncodedSequences data) {
        List<int[]> training = new ArrayList<>(data.userCount());
        List<Integer> evaluated = new ArrayList<>();
        for (int u = 0; u < data.userCount(); u++) {
            int[] rows = data.rows(u);
            if (rows.length < MIN_EVALUATED_LENGTH) {
                training.add(rows.clone());
            } else {
                training.add(Arrays.copyOf(rows, rows.length - 2));
                evaluated.add(u);
            }
        }
        int[] users = evaluated.stream().mapToInt(Integer::intValue).toArray();
        return new LeaveOneOutSplit(List.copyOf(training), heldOut(data, users, 2), heldOut(data, users, 1));
    }

    /** Per user: the item {@code fromEnd} places from the end as target, everything before it as history. */
    private static EvaluationCases heldOut(EncodedSequences data, int[] users, int fromEnd) {
        List<int[]> histories = new ArrayList<>(users.length);
        int[] targets = new int[users.length];
        for (int i = 0; i < users.length; i++) {
            int[] rows = data.rows(users[i]);
            histories.add(Arrays.copyOf(rows, rows.length - fromEnd));
            targets[i] = rows[rows.length - fromEnd];
        }
        return new EvaluationCases(data.index().tableRows(), users, histories, targets);
    }

    /** One sequence per user of the data set, in its order (short users included, whole). */
    public List<int[]> training() {
        return training;
    }

    public EvaluationCases validation() {
        return validation;
    }

    public EvaluationCases test() {
        return test;
    }
}
