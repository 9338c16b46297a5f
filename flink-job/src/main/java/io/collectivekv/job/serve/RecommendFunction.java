package io.collectivekv.job.serve;

import io.collectivekv.cache.CacheFormatException;
import io.collectivekv.cache.KvCache;
import io.collectivekv.inference.Inference;
import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.wire.Interaction;
import io.collectivekv.job.wire.Recommended;
import io.collectivekv.job.wire.Rejected;
import io.collectivekv.job.wire.Release;
import io.collectivekv.job.wire.Tags;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.retrieval.RankedItems;
import io.collectivekv.retrieval.TopK;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recommender, keyed by user: per event one incremental step over the user's cache in RocksDB
 * state, then a fresh top-K. Model releases arrive on the broadcast side; every subtask loads and
 * verifies them, switches only if they verify, and rebuilds each user's cache lazily (prefill from
 * the window) on that user's next event. An event that cannot be served is dead-lettered, never
 * allowed to fail the job (it would fail again on every restart).
 */
public final class RecommendFunction extends KeyedBroadcastProcessFunction<String, Interaction, Release, Recommended>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RecommendFunction.class);
    /** How long a subtask waits before retrying a release it could not load (e.g. after a restore). */
    private static final long RETRY_NANOS = Duration.ofMinutes(1).toNanos();

    /**
     * The last release received, identical on every subtask (Flink requires broadcast state to be):
     * what every subtask tries to serve, also after a restore. A subtask that cannot load it keeps
     * serving what it has and retries.
     */
    public static final MapStateDescriptor<String, Release> RELEASES =
            new MapStateDescriptor<>("model-release", Types.STRING, TypeInformation.of(Release.class));
    /** The release being served: the configured model, or a later release. */
    public static final String ACTIVE = "active";
    /** The model.uri the job was (re)started with, to tell a restart with a new model from a recovery. */
    public static final String CONFIGURED = "configured";
    /**
     * The releases before {@link #ACTIVE}, newest first. A subtask that refuses a release serves on
     * with the one before; after a restore it does the same, falling back through these (then
     * model.uri) to the newest one that loads.
     */
    static final List<String> PREVIOUS = List.of("previous-1", "previous-2", "previous-3");

    private final JobConfig config;

    private transient String cacheMode;
    private transient int topK;
    private transient boolean excludeSeen;
    private transient int rememberedEvents;
    /** ACTIVE and PREVIOUS as restored, newest first: what to try serving at start. */
    private transient List<Release> startReleases;
    private transient ServingModel model;
    private transient volatile String activeVersion;
    private transient Release failedRelease;
    private transient long retryFailedAfter;
    private transient ValueState<UserState> users;
    private transient Counter events;
    private transient Counter recommendations;
    private transient Counter unknownItems;
    private transient Counter duplicates;
    private transient Counter cacheRebuilds;
    private transient Counter failedEvents;
    private transient Counter rejectedReleases;
    private transient Histogram inferenceMicros;
    private transient Histogram windowLength;
    private transient Histogram stateBytes;

    public RecommendFunction(JobConfig config) {
        this.config = config;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // Runs before open(), on every subtask with the same broadcast state and the same config,
        // so every subtask makes the same choice and writes the same entries.
        BroadcastState<String, Release> releases = context.getOperatorStateStore().getBroadcastState(RELEASES);
        Release configured = ServingModel.describe(config.get(JobSettings.MODEL_URI));
        if (!configured.equals(releases.get(CONFIGURED))) {
            // A first start, or a restart with another model.uri (a rollout or a rollback): the
            // operator's newest decision wins over any release the savepoint remembers.
            releases.put(CONFIGURED, configured);
            releases.put(ACTIVE, configured);
            for (String previous : PREVIOUS) {
                releases.remove(previous);
            }
        }
        startReleases = new ArrayList<>(List.of(releases.get(ACTIVE)));
        for (String previous : PREVIOUS) {
            if (releases.get(previous) != null) {
                startReleases.add(releases.get(previous));
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // Nothing beyond the keyed and broadcast state, which Flink snapshots itself.
    }

    @Override
    public void open(OpenContext context) {
        cacheMode = config.get(JobSettings.CACHE_MODE);
        topK = config.get(JobSettings.TOP_K);
        excludeSeen = config.get(JobSettings.EXCLUDE_SEEN);
        rememberedEvents = config.get(JobSettings.DEDUP_EVENTS);
        users = getRuntimeContext().getState(UserState.descriptor(config.get(JobSettings.STATE_TTL_MS)));
        serve(initialModel());
        MetricGroup m = getRuntimeContext().getMetricGroup();
        events = m.counter("events");
        recommendations = m.counter("recommendations");
        unknownItems = m.counter("unknownItems");
        duplicates = m.counter("duplicatesDropped");
        cacheRebuilds = m.counter("cacheRebuilds");
        failedEvents = m.counter("failedEvents");
        rejectedReleases = m.counter("rejectedReleases");
        inferenceMicros = m.histogram("stepLatencyMicros", new DescriptiveStatisticsHistogram(10_000));
        windowLength = m.histogram("windowLength", new DescriptiveStatisticsHistogram(10_000));
        stateBytes = m.histogram("stateBytesPerUser", new DescriptiveStatisticsHistogram(10_000));
        m.gauge("activeModelVersion", () -> activeVersion);
    }

    /**
     * The newest restored release that loads, as before the restore a refused release left the one
     * before it serving; else the configured model (a failure there fails the start). The newest is
     * retried once a minute, as a refused release is.
     */
    private ServingModel initialModel() {
        String configured = config.get(JobSettings.MODEL_URI);
        for (Release release : startReleases) {
            if (release.artifactUri.equals(configured)) {
                break;
            }
            try {
                return load(release);
            } catch (RuntimeException e) {
                LOG.warn("{} (restored) could not be loaded, trying the release before it: {}", release, e.getMessage());
                if (failedRelease == null) {
                    failedRelease = release;
                    retryFailedAfter = System.nanoTime() + RETRY_NANOS;
                }
            }
        }
        return ServingModel.load(configured, null, config);
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }

    @Override
    public void processElement(Interaction event, ReadOnlyContext ctx, Collector<Recommended> out) throws Exception {
        follow(ctx.getBroadcastState(RELEASES).get(ACTIVE));
        UserState state = users.value();
        if (state == null) {
            state = new UserState();
        }
        if (rememberedEvents > 0 && state.remembers(event.eventId)) {
            duplicates.inc();
            return;
        }
        Recommended recommendation;
        try {
            recommendation = recommend(event, state);
        } catch (RuntimeException e) {
            failedEvents.inc();
            LOG.warn("event {} of user {} could not be served: {}", event.eventId, event.userId, e.toString());
            ctx.output(Tags.DEAD_LETTERS, Rejected.of(event, "event could not be served by " + activeVersion + ": " + e));
            return;
        }
        events.inc();
        users.update(state);
        windowLength.update(state.window.length);
        stateBytes.update(state.approximateBytes());
        out.collect(recommendation);
        recommendations.inc();
    }

    /** Updates {@code state} with the event and returns its recommendation; throws without touching state. */
    private Recommended recommend(Interaction event, UserState state) {
        int row = model.items().row(event.itemId);
        long started = System.nanoTime();
        UserState next = state.copy();
        Inference result = infer(next, row);
        inferenceMicros.update((System.nanoTime() - started) / 1_000);
        next.append(row, event.itemId, model.config().window());
        next.modelId = model.cacheId();
        next.eventCount++;
        next.remember(event.eventId, rememberedEvents);
        Recommended r = recommendation(event, next, result);
        if (row == ModelConfig.UNKNOWN_ROW) {
            unknownItems.inc();
        }
        state.become(next);
        return r;
    }

    /** The scores after this event; updates the cache in {@code state} unless the mode keeps none. */
    private Inference infer(UserState state, int row) {
        boolean keepCache = !cacheMode.equals("none");
        if (!model.cacheId().equals(state.modelId) && model.adopt(state, keepCache)) {
            // Computed by another model (a release, or a rollout without re-encode): rebuilt lazily.
            cacheRebuilds.inc();
        }
        if (!keepCache) {
            int[] window = Arrays.copyOf(state.window, state.window.length + 1);
            window[window.length - 1] = row;
            return model.session().prefill(List.of(window)).get(0);
        }
        KvCache cache = decoded(state);
        if (cache == null) {
            cache = state.window.length == 0 ? KvCache.empty(model.config()) : unreadableCacheRebuilt(state);
        }
        Inference result = model.session().step(List.of(cache), new int[] {row}).get(0);
        state.cache = model.codec().encode(result.cache());
        return result;
    }

    private KvCache unreadableCacheRebuilt(UserState state) {
        cacheRebuilds.inc();
        return model.session().prefill(List.of(state.window)).get(0).cache();
    }

    private KvCache decoded(UserState state) {
        if (state.cache == null) {
            return null;
        }
        try {
            return model.codec().decode(state.cache);
        } catch (CacheFormatException e) {
            LOG.warn("a stored cache is unreadable, rebuilding it: {}", e.getMessage());
            return null;
        }
    }

    private Recommended recommendation(Interaction event, UserState state, Inference result) {
        BitSet seen = null;
        if (excludeSeen) {
            seen = new BitSet();
            for (int r : state.window) {
                seen.set(r);
            }
        }
        RankedItems top = TopK.select(result.scores(), topK, seen);
        Recommended r = new Recommended();
        r.userId = event.userId;
        r.itemIds = new String[top.size()];
        for (int i = 0; i < top.size(); i++) {
            r.itemIds[i] = model.items().externalId(top.rows()[i]);
        }
        r.scores = top.scores();
        r.modelVersion = model.version();
        r.triggerEventId = event.eventId;
        r.eventTimeMillis = event.eventTimeMillis;
        r.emitTimeMillis = System.currentTimeMillis();
        return r;
    }

    @Override
    public void processBroadcastElement(Release release, Context ctx, Collector<Recommended> out) throws Exception {
        BroadcastState<String, Release> releases = ctx.getBroadcastState(RELEASES);
        Release active = releases.get(ACTIVE);
        if (!release.equals(active)) {
            // Every subtask shifts the same way whether or not it can load the release: broadcast state stays identical.
            for (int i = PREVIOUS.size() - 1; i > 0; i--) {
                Release older = releases.get(PREVIOUS.get(i - 1));
                if (older != null) {
                    releases.put(PREVIOUS.get(i), older);
                }
            }
            releases.put(PREVIOUS.get(0), active);
            releases.put(ACTIVE, release);
        }
        try {
            serve(load(release));
        } catch (RuntimeException e) {
            rejectedReleases.inc();
            failedRelease = release;
            retryFailedAfter = System.nanoTime() + RETRY_NANOS;
            String where = "subtask " + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            LOG.warn("{} refused by {}, still serving {}: {}", release, where, activeVersion, e.getMessage());
            if (release.source != null) {
                ctx.output(Tags.DEAD_LETTERS, Rejected.of(release.source, "model release " + release.modelVersion
                        + " refused by " + where + ", still serving " + activeVersion + ": " + e.getMessage()));
            }
        }
    }

    /** Serves the broadcast release if this subtask does not yet (after a restore, or a retry). */
    private void follow(Release wanted) {
        if (wanted == null || wanted.modelVersion.equals(activeVersion)
                || (wanted.equals(failedRelease) && System.nanoTime() < retryFailedAfter)) {
            return;
        }
        try {
            serve(load(wanted));
            failedRelease = null;
        } catch (RuntimeException e) {
            failedRelease = wanted;
            retryFailedAfter = System.nanoTime() + RETRY_NANOS;
            LOG.warn("{} could not be loaded, still serving {}: {}", wanted, activeVersion, e.getMessage());
        }
    }

    private ServingModel load(Release release) {
        ServingModel next = ServingModel.load(release.artifactUri, release.manifestSha256, config);
        if (!next.version().equals(release.modelVersion)) {
            next.close();
            throw new IllegalArgumentException("artifact " + release.artifactUri + " holds model " + next.version()
                    + ", not the released " + release.modelVersion);
        }
        return next;
    }

    private void serve(ServingModel next) {
        ServingModel previous = model;
        model = next;
        activeVersion = next.version();
        if (previous != null) {
            previous.close();
        }
        LOG.info("now serving {}", activeVersion);
    }
}
