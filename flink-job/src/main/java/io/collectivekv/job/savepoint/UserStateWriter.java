package io.collectivekv.job.savepoint;

import io.collectivekv.job.serve.UserState;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;

/** Writes users' states into a new savepoint, under the descriptor the job reads them with. */
final class UserStateWriter extends KeyedStateBootstrapFunction<String, UserEntry> {
    private static final long serialVersionUID = 1L;
    private final long ttlMillis;
    private transient ValueState<UserState> state;

    UserStateWriter(long ttlMillis) {
        this.ttlMillis = ttlMillis;
    }

    @Override
    public void open(OpenContext context) {
        state = getRuntimeContext().getState(UserState.descriptor(ttlMillis));
    }

    @Override
    public void processElement(UserEntry entry, Context context) throws Exception {
        state.update(entry.state);
    }
}
