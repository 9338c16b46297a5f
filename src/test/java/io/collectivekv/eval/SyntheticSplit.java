package io.collectivekv.eval;

import io.collectivekv.data.EncodedSequences;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.data.SyntheticInteractions;
import io.collectivekv.data.UserSequences;

/** A leave-one-out split of a small synthetic data set, for tests that need a realistic one. */
final class SyntheticSplit {

    private SyntheticSplit() {
    }

    static LeaveOneOutSplit of(SyntheticInteractions parameters) {
        UserSequences data = parameters.generate();
        return LeaveOneOutSplit.of(EncodedSequences.encode(data, ItemIndex.of(data)));
    }

    static LeaveOneOutSplit small() {
        return of(new SyntheticInteractions(2_000, 1_000, 20, 20, 42));
    }
}
