package io.collectivekv.train;

import io.collectivekv.data.EncodedSequences;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.data.SyntheticInteractions;
import io.collectivekv.data.UserSequences;
import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Small models trained once per JVM on synthetic data, shared by the trainer module's tests. */
public final class TinyModels {
    /** W of the tiny models: short, so that sequences longer than the window are cheap to test. */
    public static final int WINDOW = 12;

    private static final Map<String, TrainedModel> CACHE = new ConcurrentHashMap<>();
    private static EncodedSequences data;

    private TinyModels() {}

    public static synchronized EncodedSequences data() {
        if (data == null) {
            UserSequences users = new SyntheticInteractions(400, 150, 6, 25, 7L).generate();
            data = EncodedSequences.encode(users, ItemIndex.of(users));
        }
        return data;
    }

    public static ModelConfig config(Encoder encoder, KvMode mode) {
        return new ModelConfig(encoder, mode, 32, 2, 2, 4, 64, WINDOW, data().index().size(), 8);
    }

    public static TrainingConfig training() {
        return new TrainingConfig(3, 64, 3e-3f, LearningRateSchedule.CONSTANT, 64, 0.1f, 30, 3, 1f, 1f, BalanceLoss.KL, 0.01f, 200, 1f, 11L);
    }

    public static synchronized TrainedModel trained(Encoder encoder, KvMode mode) {
        return CACHE.computeIfAbsent(encoder.id() + "-" + mode.id(),
                k -> new Trainer(config(encoder, mode), training(), null).train(data()));
    }
}
