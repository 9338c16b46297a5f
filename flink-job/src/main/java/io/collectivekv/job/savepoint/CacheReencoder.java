package io.collectivekv.job.savepoint;

import io.collectivekv.job.config.JobConfig;
import io.collectivekv.job.config.JobSettings;
import io.collectivekv.job.serve.ServingModel;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Brings each user's state to a new model, exactly as the job's lazy rebuild would (ServingModel.adopt). */
final class CacheReencoder extends RichMapFunction<UserEntry, UserEntry> {
    private static final long serialVersionUID = 1L;
    private final JobConfig config;
    private transient ServingModel model;

    /** @param config the job's settings, with model.uri naming the new model */
    CacheReencoder(JobConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext context) {
        model = ServingModel.load(config.get(JobSettings.MODEL_URI), null, config);
    }

    @Override
    public UserEntry map(UserEntry entry) {
        if (!model.cacheId().equals(entry.state.modelId)) {
            model.adopt(entry.state, !config.get(JobSettings.CACHE_MODE).equals("none"));
        }
        return entry;
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }
}
