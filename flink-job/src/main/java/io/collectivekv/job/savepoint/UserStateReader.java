package io.collectivekv.job.savepoint;

import io.collectivekv.job.serve.UserState;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;

/** Reads every user's state out of the recommender operator of a savepoint. */
final class UserStateReader extends KeyedStateReaderFunction<String, UserEntry> {
    private static final long serialVersionUID = 1L;
    private final long ttlMillis;
    private transient ValueState<UserState> state;

    /** @param ttlMillis the job's state.ttl.ms: the descriptor must be the one the state was written with */
    UserStateReader(long ttlMillis) {
        this.ttlMillis = ttlMillis;
    }

    @Override
    public void open(OpenContext context) {
        state = getRuntimeContext().getState(UserState.descriptor(ttlMillis));
    }

    @Override
    public void readKey(String user, Context context, Collector<UserEntry> out) throws Exception {
        UserState value = state.value();
        if (value != null) {
            out.collect(new UserEntry(user, value));
        }
    }
}
