package io.collectivekv.job.wire;

import org.apache.flink.util.OutputTag;

/** Side outputs shared by the job's operators. */
public final class Tags {
    /** Records (and releases) the job refused; they go to the dead-letter topic. */
    public static final OutputTag<Rejected> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private Tags() {}
}
