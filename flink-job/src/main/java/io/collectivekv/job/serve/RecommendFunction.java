package io.collectivekv.job.serve;

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
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recommender, keyed by user: per event one incremental step over the user's cache in RocksDB
 * state, then a fresh top-K. Model releases arrive on the broadcast side; every subtask loads and
 * verifies them, switches only if they verify, and rebuilds each user's cache lazily (prefill from
 * the window) on that user's next event.
 */
public final class RecommendFunction extends KeyedBroadcastProcessFunction<String, Interaction, Release, Recommended> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RecommendFunction.class);

    /** The release every subtask should serve; survives restarts so a restored job serves it again. */
    public static final MapStateDescriptor<String, Release> RELEASES =
            new MapStateDescriptor<>("model-release", Types.STRING, TypeInformation.of(Release.class));
    private static final String ACTIVE = "active";
    public static final String USER_STATE = "user";

    private final JobConfig config;

    private transient ServingModel model;
    private transient Release failedRelease;
    private transient ValueState<UserState> users;
    private transient Counter events;
    private transient Counter recommendations;
    private transient Counter unknownItems;
    private transient Counter duplicates;
    private transient Counter cacheRebuilds;
    private transient Counter rejectedReleases;
    private transient Histogram stepLatencyMicros;
    private transient volatile long lastWindowLength;
    private transient volatile long lastStateBytes;

    public RecommendFunction(JobConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext context) {
        ValueStateDescriptor<UserState> descriptor = new ValueStateDescriptor<>(USER_STATE, TypeInformation.of(UserState.class));
        long ttl = config.get(JobSettings.STATE_TTL_MS);
        if (ttl > 0) {
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(ttl))
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .build());
        }
        users = getRuntimeContext().getState(descriptor);
        model = ServingModel.load(config.get(JobSettings.MODEL_URI), null, config);
        MetricGroup m = getRuntimeContext().getMetricGroup();
        events = m.counter("events");
        recommendations = m.counter("recommendations");
        unknownItems = m.counter("unknownItems");
        duplicates = m.counter("duplicatesDropped");
        cacheRebuilds = m.counter("cacheRebuilds");
        rejectedReleases = m.counter("rejectedReleases");
        stepLatencyMicros = m.histogram("stepLatencyMicros", new DescriptiveStatisticsHistogram(10_000));
        m.gauge("windowLength", () -> lastWindowLength);
        m.gauge("stateBytesPerUser", () -> lastStateBytes);
        m.gauge("activeModelVersion", () -> model == null ? "" : model.version());
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }

    @Override
    public void processElement(Interaction event, ReadOnlyContext ctx, Collector<Recommended> out) throws Exception {
        followRelease(ctx.getBroadcastState(RELEASES).get(ACTIVE));
        UserState state = users.value();
        if (state == null) {
            state = new UserState();
        }
        int remembered = config.get(JobSettings.DEDUP_EVENTS);
        if (remembered > 0 && state.remembers(event.eventId)) {
            duplicates.inc();
            return;
        }
        events.inc();
        ModelConfig modelConfig = model.config();
        int row = model.items().row(event.itemId);
        if (row == ModelConfig.UNKNOWN_ROW) {
            unknownItems.inc();
        }
        long started = System.nanoTime();
        Inference result = infer(state, row);
        stepLatencyMicros.update((System.nanoTime() - started) / 1_000);
        state.append(row, event.itemId, modelConfig.window());
        state.modelId = model.cacheId();
        state.eventCount++;
        state.remember(event.eventId, remembered);
        users.update(state);
        lastWindowLength = state.window.length;
        lastStateBytes = state.approximateBytes();
        out.collect(recommendation(event, state, result));
        recommendations.inc();
    }

    /** The scores after this event, updating the user's cache in {@code state} (cache modes collective and full). */
    private Inference infer(UserState state, int row) {
        if (!model.cacheId().equals(state.modelId)) {
            remapWindow(state);
        }
        if (config.get(JobSettings.CACHE_MODE).equals("none")) {
            int[] window = Arrays.copyOf(state.window, state.window.length + 1);
            window[window.length - 1] = row;
            return model.session().prefill(List.of(window)).get(0);
        }
        KvCache cache;
        if (state.cache != null && model.cacheId().equals(state.modelId)) {
            cache = model.codec().decode(state.cache);
        } else if (state.window.length == 0) {
            cache = KvCache.empty(model.config());
        } else {
            // Computed by another model (or never): rebuild from the window, once per user.
            cache = model.session().prefill(List.of(state.window)).get(0).cache();
            cacheRebuilds.inc();
        }
        Inference result = model.session().step(List.of(cache), new int[] {row}).get(0);
        state.cache = model.codec().encode(result.cache());
        return result;
    }

    /** Maps the window's item ids into the active model's vocabulary (it may differ from the old one's). */
    private void remapWindow(UserState state) {
        for (int i = 0; i < state.window.length; i++) {
            state.window[i] = model.items().row(state.windowItemIds[i]);
        }
    }

    private Recommended recommendation(Interaction event, UserState state, Inference result) {
        BitSet seen = null;
        if (config.get(JobSettings.EXCLUDE_SEEN)) {
            seen = new BitSet();
            for (int r : state.window) {
                seen.set(r);
            }
        }
        RankedItems top = TopK.select(result.scores(), config.get(JobSettings.TOP_K), seen);
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
        r.appendTimeMillis = event.appendTimeMillis;
        r.emitTimeMillis = System.currentTimeMillis();
        return r;
    }

    @Override
    public void processBroadcastElement(Release release, Context ctx, Collector<Recommended> out) throws Exception {
        BroadcastState<String, Release> releases = ctx.getBroadcastState(RELEASES);
        try {
            switchTo(release);
            releases.put(ACTIVE, release);
        } catch (RuntimeException e) {
            rejectedReleases.inc();
            LOG.warn("{} refused, still serving {}: {}", release, model.version(), e.getMessage());
            // Every subtask sees the release; one dead letter is enough.
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0 && release.source != null) {
                ctx.output(Tags.DEAD_LETTERS, Rejected.of(release.source, "model release " + release.modelVersion
                        + " refused, still serving " + model.version() + ": " + e.getMessage()));
            }
        }
    }

    /** After a restore, the broadcast state names the release to serve; load it once. */
    private void followRelease(Release wanted) {
        if (wanted == null || wanted.modelVersion.equals(model.version()) || wanted.equals(failedRelease)) {
            return;
        }
        try {
            switchTo(wanted);
        } catch (RuntimeException e) {
            failedRelease = wanted;
            LOG.warn("{} could not be restored, still serving {}: {}", wanted, model.version(), e.getMessage());
        }
    }

    private void switchTo(Release release) {
        ServingModel next = ServingModel.load(release.artifactUri, release.manifestSha256, config);
        if (!next.version().equals(release.modelVersion)) {
            next.close();
            throw new IllegalArgumentException("artifact " + release.artifactUri + " holds model " + next.version()
                    + ", not the released " + release.modelVersion);
        }
        ServingModel previous = model;
        model = next;
        previous.close();
        LOG.info("now serving {}", model.version());
    }
}
