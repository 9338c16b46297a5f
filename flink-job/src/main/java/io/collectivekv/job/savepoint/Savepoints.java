package io.collectivekv.job.savepoint;

import io.collectivekv.job.RecommenderJob;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.serve.RecommendFunction;
import io.collectivekv.job.serve.UserState;
import io.collectivekv.job.wire.Release;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * The job's savepoints, offline (State Processor API, a batch job in a local MiniCluster): count
 * and read the users' states, find the model a savepoint was taken under, and re-encode every
 * user's cache with a new model so a restarted job serves it without a rebuild spike.
 */
public final class Savepoints {
    private static final OperatorIdentifier RECOMMENDER = OperatorIdentifier.forUid(RecommenderJob.RECOMMEND_UID);

    /** What a savepoint holds for a given model: users, events applied, and caches that model would rebuild. */
    public record Census(long users, long events, long cachesToRebuild) {}

    private Savepoints() {}

    /**
     * @param cacheId the cache-compatibility id of the model that will serve this state
     */
    public static Census census(String savepoint, JobConfig config, String cacheId) {
        boolean keepsCache = !config.get(JobSettings.CACHE_MODE).equals("none");
        long users = 0;
        long events = 0;
        long rebuilds = 0;
        try (CloseableIterator<UserEntry> it = users(batch(), savepoint, config).executeAndCollect("census of " + savepoint)) {
            while (it.hasNext()) {
                UserState state = it.next().state;
                users++;
                events += state.eventCount;
                if (keepsCache && state.window.length > 0 && !cacheId.equals(state.modelId)) {
                    rebuilds++;
                }
            }
        } catch (Exception e) {
            throw unreadable(savepoint, e);
        }
        return new Census(users, events, rebuilds);
    }

    /** Every user's state, by user id (for inspection and tests: it holds them all in memory). */
    public static Map<String, UserState> userStates(String savepoint, JobConfig config) {
        Map<String, UserState> states = new HashMap<>();
        try (CloseableIterator<UserEntry> it = users(batch(), savepoint, config).executeAndCollect("users of " + savepoint)) {
            it.forEachRemaining(e -> states.put(e.userId, e.state));
        } catch (Exception e) {
            throw unreadable(savepoint, e);
        }
        return states;
    }

    /**
     * The model.uri the job that took the savepoint was started with (a rollback restarts with it,
     * which restores exactly what served then, hot releases included), or null if the savepoint
     * does not record one (a re-encoded savepoint).
     */
    public static Release configuredModel(String savepoint) {
        StreamExecutionEnvironment env = batch();
        try (CloseableIterator<Tuple2<String, Release>> it = SavepointReader.read(env, savepoint)
                .readBroadcastState(RECOMMENDER, RecommendFunction.RELEASES.getName(), Types.STRING, TypeInformation.of(Release.class))
                .executeAndCollect("models of " + savepoint)) {
            while (it.hasNext()) {
                Tuple2<String, Release> entry = it.next();
                if (entry.f0.equals(RecommendFunction.CONFIGURED)) {
                    return entry.f1;
                }
            }
            return null;
        } catch (Exception e) {
            throw unreadable(savepoint, e);
        }
    }

    /**
     * Writes to {@code target} a copy of {@code savepoint} in which every user's state was brought
     * to the model at the config's model.uri (window re-mapped, cache recomputed by prefill). Source
     * offsets and every other operator's state are kept; the recommender's broadcast state is not,
     * so the restarted job serves its configured model.uri, which must be that same model.
     */
    public static void reencode(String savepoint, String target, JobConfig config) {
        StreamExecutionEnvironment env = batch();
        long ttl = config.get(JobSettings.STATE_TTL_MS);
        try {
            DataStream<UserEntry> reencoded = users(env, savepoint, config)
                    .map(new CacheReencoder(config)).name("re-encode caches").returns(UserEntry.class);
            StateBootstrapTransformation<UserEntry> users = OperatorTransformation.bootstrapWith(reencoded)
                    .keyBy(e -> e.userId, Types.STRING)
                    .transform(new UserStateWriter(ttl));
            SavepointWriter.fromExistingSavepoint(env, savepoint)
                    .removeOperator(RECOMMENDER)
                    .withOperator(RECOMMENDER, users)
                    .write(target);
            env.execute("re-encode " + savepoint + " with " + config.get(JobSettings.MODEL_URI));
        } catch (Exception e) {
            throw unreadable(savepoint, e);
        }
    }

    private static DataStream<UserEntry> users(StreamExecutionEnvironment env, String savepoint, JobConfig config) throws IOException {
        return SavepointReader.read(env, savepoint)
                .readKeyedState(RECOMMENDER, new UserStateReader(config.get(JobSettings.STATE_TTL_MS)), Types.STRING,
                        TypeInformation.of(UserEntry.class));
    }

    /**
     * A local batch environment bound to loopback. Kryo stays allowed here, unlike in the job: the
     * State Processor API itself ships Flink's OperatorState through it.
     */
    private static StreamExecutionEnvironment batch() {
        Configuration c = new Configuration();
        c.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        c.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        c.set(TaskManagerOptions.HOST, "127.0.0.1");
        c.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        return StreamExecutionEnvironment.getExecutionEnvironment(c);
    }

    private static RuntimeException unreadable(String savepoint, Exception e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (e instanceof IOException io) {
            return new UncheckedIOException("savepoint " + savepoint + ": " + root.getMessage(), io);
        }
        return new IllegalArgumentException("savepoint " + savepoint + ": " + root, e);
    }
}
