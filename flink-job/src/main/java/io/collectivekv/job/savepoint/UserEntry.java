package io.collectivekv.job.savepoint;

import io.collectivekv.job.serve.UserState;

/** One user's keyed state as read from (or written into) a savepoint (a Flink POJO). */
public class UserEntry {
    public String userId;
    public UserState state;

    public UserEntry() {}

    public UserEntry(String userId, UserState state) {
        this.userId = userId;
        this.state = state;
    }
}
