package io.collectivekv.job;

import io.collectivekv.job.config.JobConfig;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point on a Flink cluster: {@code [--config recommender.properties] [--<setting> <value> ...]}.
 * Settings and defaults: deploy/recommender.properties.
 */
public final class RecommenderJobMain {
    private RecommenderJobMain() {}

    public static void main(String[] args) throws Exception {
        Path file = null;
        String[] rest = args;
        if (args.length >= 2 && args[0].equals("--config")) {
            file = Path.of(args[1]);
            rest = Arrays.copyOfRange(args, 2, args.length);
        }
        // A bad setting throws with a one-line message naming the key. No System.exit: submitted
        // through the REST API, main runs inside the JobManager, which must not exit.
        JobConfig config = JobConfig.load(file, JobConfig.overrides(rest));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RecommenderJob.flinkConfiguration(config));
        RecommenderJob.buildOnKafka(env, config);
        env.execute(RecommenderJob.NAME);
    }
}
