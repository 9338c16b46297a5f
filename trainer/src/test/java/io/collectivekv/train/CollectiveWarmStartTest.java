package io.collectivekv.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.collectivekv.eval.LeaveOneOutSplit;
import io.collectivekv.model.ConfigException;
import io.collectivekv.model.Encoder;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.LayerEntries;
import io.collectivekv.nn.ParameterSpec;
import io.collectivekv.nn.SequenceModel;
import io.collectivekv.nn.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectiveWarmStartTest {
    private static final TrainedModel FULL = TinyModels.trained(Encoder.HSTU, KvMode.FULL);

    /** The tiny full model's shape, collective, with a pool larger than its 150 items. */
    private static ModelConfig collective(int poolSize) {
        ModelConfig f = FULL.config();
        return new ModelConfig(f.encoder(), KvMode.COLLECTIVE, f.d(), f.layers(), f.heads(), 2, poolSize, f.window(), f.items(), f.relPosBuckets());
    }

    /**
     * In the first layer n depends on the item alone, so its keys take at most one value per item:
     * a pool with more entries than items holds each exactly, and the warm start must then give
     * back the full model's keys and values to float precision: pool row plus user part.
     */
    @Test
    void withAPoolLargerThanTheCatalogueTheFirstLayerKeepsTheFullModelsKeysAndValues() {
        ModelConfig target = collective(256);
        Weights start = CollectiveWarmStart.fromFull(FULL.config(), FULL.weights(), target, TinyModels.data(), 5L);
        List<int[]> users = LeaveOneOutSplit.of(TinyModels.data()).training().subList(0, 40);

        float[][] full = firstLayer(new SequenceModel(FULL.config(), 0f), FULL.weights(), users);
        float[][] compact = firstLayer(new SequenceModel(target, 0f), start, users);
        int d = target.d();
        int shared = target.sharedDim();
        for (int side = 0; side < 2; side++) {
            float[] pool = start.values("layer0." + (side == 0 ? "key" : "value") + "_pool");
            float[] index = compact[2 + side];
            float[] user = compact[side];
            double worst = 0;
            for (int token = 0; token < index.length; token++) {
                int row = (int) index[token];
                for (int c = 0; c < d; c++) {
                    float rebuilt = c < shared ? pool[row * shared + c] : user[token * target.userDim() + c - shared];
                    worst = Math.max(worst, Math.abs(rebuilt - full[side][token * d + c]));
                }
            }
            assertTrue(worst < 1e-5, (side == 0 ? "keys" : "values") + " differ by up to " + worst);
        }
    }

    @Test
    void theStartKeepsEveryWeightTheTwoModelsShare() {
        ModelConfig target = collective(64);
        Weights start = CollectiveWarmStart.fromFull(FULL.config(), FULL.weights(), target, TinyModels.data(), 5L);
        for (ParameterSpec spec : new SequenceModel(target, 0f).parameters()) {
            if (!spec.name().contains("key") && !spec.name().contains("value")) {
                assertEquals(java.util.Arrays.toString(FULL.weights().values(spec.name())), java.util.Arrays.toString(start.values(spec.name())), spec.name());
            }
        }
    }

    @Test
    void zeroEpochsKeepTheStartAsItIsAndReportItsValidation() {
        ModelConfig target = collective(64);
        Weights start = CollectiveWarmStart.fromFull(FULL.config(), FULL.weights(), target, TinyModels.data(), 5L);
        TrainingConfig none = new TrainingConfig(0, 64, 3e-3f, LearningRateSchedule.CONSTANT, 64, 0.1f, 30, 3, 1f, 1f, BalanceLoss.KL, 0.01f, 200, 1f, 11L);
        TrainedModel kept = new Trainer(target, none, null).train(TinyModels.data(), start);
        assertEquals(0, kept.bestEpoch());
        assertEquals(0, kept.epochs());
        assertTrue(kept.validation().full().hr10() > 0.1, kept.validation().toString());
        for (ParameterSpec spec : new SequenceModel(target, 0f).parameters()) {
            assertArrayEquals(start.values(spec.name()), kept.weights().values(spec.name()), spec.name());
        }
        ConfigException fresh = assertThrows(ConfigException.class, () -> new Trainer(target, none, null).train(TinyModels.data()));
        assertEquals("epochs = 0: expected an integer > 0: only a given start can be kept without training", fresh.getMessage());
    }

    @Test
    void onlyAFullModelOfTheSameShapeCanStartACollectiveOne() {
        ModelConfig target = collective(64);
        IllegalArgumentException fromCollective = assertThrows(IllegalArgumentException.class,
                () -> CollectiveWarmStart.fromFull(target, FULL.weights(), target, TinyModels.data(), 5L));
        assertTrue(fromCollective.getMessage().contains("kv mode full"), fromCollective.getMessage());
        ModelConfig f = FULL.config();
        ModelConfig wider = new ModelConfig(f.encoder(), KvMode.COLLECTIVE, 64, f.layers(), f.heads(), 2, 64, f.window(), f.items(), f.relPosBuckets());
        IllegalArgumentException otherShape = assertThrows(IllegalArgumentException.class,
                () -> CollectiveWarmStart.fromFull(f, FULL.weights(), wider, TinyModels.data(), 5L));
        assertTrue(otherShape.getMessage().contains("d 32") && otherShape.getMessage().contains("d 64"), otherShape.getMessage());
    }

    /** Layer 0 of an eval forward over right-padded sequences, real tokens only: {keyPart, valuePart, keyIndex, valueIndex}. */
    private static float[][] firstLayer(SequenceModel model, Weights weights, List<int[]> users) {
        ModelConfig config = model.config();
        int tokens = config.window();
        try (NDManager manager = Engine.getEngine(Trainer.ENGINE).newBaseManager()) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (ParameterSpec spec : model.parameters()) {
                params.put(spec.name(), manager.create(weights.values(spec.name()), new Shape(spec.shape())));
            }
            long[] items = new long[users.size() * tokens];
            int real = 0;
            for (int b = 0; b < users.size(); b++) {
                int[] s = users.get(b);
                int length = Math.min(s.length, tokens);
                for (int t = 0; t < length; t++) {
                    items[b * tokens + t] = s[s.length - length + t];
                }
                real += length;
            }
            LayerEntries<NDArray> e = model.forward(new DjlOps(params, manager, false), manager.create(items, new Shape(users.size(), tokens)),
                    null, BandedCausalLayout.of(manager, tokens, config.window())).entries().get(0);
            boolean collective = config.kvMode() == KvMode.COLLECTIVE;
            float[][] out = new float[4][];
            float[] key = e.keyPart().toFloatArray();
            float[] value = e.valuePart().toFloatArray();
            long[] keyIndex = collective ? e.keyIndex().toLongArray() : null;
            long[] valueIndex = collective ? e.valueIndex().toLongArray() : null;
            int width = key.length / items.length;
            out[0] = new float[real * width];
            out[1] = new float[real * width];
            out[2] = new float[collective ? real : 0];
            out[3] = new float[collective ? real : 0];
            int at = 0;
            for (int b = 0; b < users.size(); b++) {
                int length = Math.min(users.get(b).length, tokens);
                for (int t = 0; t < length; t++, at++) {
                    int src = b * tokens + t;
                    System.arraycopy(key, src * width, out[0], at * width, width);
                    System.arraycopy(value, src * width, out[1], at * width, width);
                    if (collective) {
                        out[2][at] = keyIndex[src];
                        out[3][at] = valueIndex[src];
                    }
                }
            }
            return out;
        }
    }
}
