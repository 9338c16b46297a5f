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
        JobConfig config;
        try {
            config = JobConfig.load(file, JobConfig.overrides(rest));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("recommender: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(RecommenderJob.flinkConfiguration(config));
        RecommenderJob.buildOnKafka(env, config);
        env.execute(RecommenderJob.NAME);
    }
}
