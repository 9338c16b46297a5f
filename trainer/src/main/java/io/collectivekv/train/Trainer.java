package io.collectivekv.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import io.collectivekv.data.EncodedSequences;
import io.collectivekv.eval.EvaluationCases;
import io.collectivekv.eval.EvaluationReport;
import io.collectivekv.eval.Evaluator;
import io.collectivekv.eval.LeaveOneOutSplit;
import io.collectivekv.model.ConfigException;
import io.collectivekv.model.ModelConfig;
import io.collectivekv.nn.SequenceModel;
import io.collectivekv.nn.Weights;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Trains a {@link SequenceModel} on the DJL PyTorch engine: next-item prediction at every
 * position with a sampled softmax, Adam, dropout, CollectiveKV router losses, and early stopping
 * on validation NDCG@10 (leave-one-out, full ranking). Deterministic for a seed.
 */
public final class Trainer {
    /** DJL must be told: the ONNX Runtime engine is on the class path too. */
    static final String ENGINE = "PyTorch";

    private final ModelConfig config;
    private final TrainingConfig training;
    private final PrintStream log;
    private int skippedBatches;

    /** @param log where epochs and validation metrics are reported (with a progress bar); null = silent */
    public Trainer(ModelConfig config, TrainingConfig training, PrintStream log) {
        this.config = config;
        this.training = training;
        this.log = log;
    }

    public TrainedModel train(EncodedSequences data) {
        return train(data, null);
    }

    /**
     * @param start the weights to start from (e.g. {@link CollectiveWarmStart}), evaluated on the
     *              validation split before the first epoch and kept if no epoch beats them; null
     *              = fresh weights from the seed
     */
    public TrainedModel train(EncodedSequences data, Weights start) {
        long started = System.nanoTime();
        skippedBatches = 0;
        if (start == null && training.epochs() == 0) {
            throw new ConfigException("epochs", "0", "an integer > 0: only a given start can be kept without training");
        }
        if (data.index().size() != config.items()) {
            throw new IllegalArgumentException("config has items = " + config.items() + " but the data has " + data.index().size());
        }
        LeaveOneOutSplit split = LeaveOneOutSplit.of(data);
        List<int[]> sequences = new ArrayList<>();
        for (int[] s : split.training()) {
            if (s.length >= 2) {
                sequences.add(s);
            }
        }
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no user has two training items: nothing to learn from");
        }
        EvaluationCases validation = training.validationUsers() > 0 ? split.validation().first(training.validationUsers()) : split.validation();

        Engine engine = Engine.getEngine(ENGINE);
        engine.setRandomSeed((int) training.seed());
        SequenceModel model = new SequenceModel(config, training.dropout());
        SplittableRandom random = new SplittableRandom(training.seed());
        Random shuffler = new Random(training.seed());
        int batches = (sequences.size() + training.batchSize() - 1) / training.batchSize();
        Optimizer adam = Optimizer.adam()
                .optLearningRateTracker(training.schedule().tracker(training.learningRate(), Math.max(1, training.epochs() * batches)))
                .build();
        TrainingLoss loss = new TrainingLoss(training.lambdaPeak(), training.lambdaBalance(), training.balanceLoss());
        // Validation batches as large as the training ones: the (B, T, m) router logits of a larger
        // batch outgrow what the allocator serves cheaply (256 users at m = 2,048: 420 MB a tensor).
        Evaluator evaluator = new Evaluator(training.batchSize(), training.seed());

        try (NDManager root = engine.newBaseManager();
                ModelParameters params = new ModelParameters(root, model.parameters(),
                        start != null ? start : Weights.initialise(model.parameters(), training.seed()))) {
            EvalForward scorer = new EvalForward(new SequenceModel(config, 0f), params.arrays(), root, config.window());
            Weights best = params.snapshot();
            EvaluationReport bestReport = null;
            int bestEpoch = 0;
            int epoch = 0;
            if (start != null) {
                bestReport = evaluator.evaluate(scorer, validation);
                if (log != null) {
                    log.printf(Locale.ROOT, "epoch 0 (start): validation HR@10 %.4f NDCG@10 %.4f%n",
                            bestReport.full().hr10(), bestReport.full().ndcg10());
                }
            }
            while (epoch < training.epochs() && epoch - bestEpoch < training.patience()) {
                epoch++;
                Collections.shuffle(sequences, shuffler);
                double lossSum = 0;
                long epochStarted = System.nanoTime();
                try (ProgressBar bar = progressBar(epoch, batches)) {
                    for (int i = 0; i < batches; i++) {
                        List<int[]> slice = sequences.subList(i * training.batchSize(), Math.min(sequences.size(), (i + 1) * training.batchSize()));
                        TrainingBatch batch = TrainingBatch.of(slice, training.maxLength(), training.unknownRate(), random);
                        float batchLoss = step(engine, root, model, params, adam, loss, batch, random);
                        if (Float.isFinite(batchLoss)) {
                            lossSum += batchLoss;
                        }
                        if (bar != null) {
                            bar.step();
                            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", lossSum / (i + 1)));
                        }
                    }
                }
                double epochSeconds = (System.nanoTime() - epochStarted) / 1e9;
                long validationStarted = System.nanoTime();
                EvaluationReport report = evaluator.evaluate(scorer, validation);
                double validationSeconds = (System.nanoTime() - validationStarted) / 1e9;
                boolean improved = bestReport == null || report.full().ndcg10() > bestReport.full().ndcg10();
                if (improved) {
                    best = params.snapshot();
                    bestReport = report;
                    bestEpoch = epoch;
                }
                if (log != null) {
                    log.printf(Locale.ROOT, "epoch %d: loss %.4f, %.0f s (%.3f s/batch), validation (%.0f s) HR@10 %.4f NDCG@10 %.4f%s%s%n",
                            epoch, lossSum / batches, epochSeconds, epochSeconds / batches, validationSeconds,
                            report.full().hr10(), report.full().ndcg10(), improved ? " (best)" : "",
                            skippedBatches > 0 ? ", " + skippedBatches + " batches skipped so far (non-finite gradient)" : "");
                }
            }
            return new TrainedModel(config, best, data.index(), bestReport, bestEpoch, epoch, training,
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** One optimisation step; returns the batch's loss. */
    private float step(Engine engine, NDManager root, SequenceModel model, ModelParameters params, Optimizer adam,
            TrainingLoss loss, TrainingBatch batch, SplittableRandom random) {
        try (NDManager scope = root.newSubManager()) {
            long[] negatives = new long[training.negatives()];
            for (int k = 0; k < negatives.length; k++) {
                negatives[k] = random.nextInt(ModelConfig.RESERVED_ROWS, config.itemRows());
            }
            float value;
            try (GradientCollector collector = engine.newGradientCollector()) {
                DjlOps ops = new DjlOps(params.arrays(), scope, true);
                SequenceModel.Forward<NDArray> fwd = model.forward(ops, batch.inputs(scope),
                        null, BandedCausalLayout.of(scope, batch.tokens(), config.window()));
                TrainingLoss.Parts parts = loss.compute(ops, fwd, batch.targets(scope),
                        scope.create(negatives, new Shape(negatives.length)), batch.mask(scope));
                collector.backward(parts.total());
                value = parts.total().getFloat();
            }
            List<NDArray> grads = new ArrayList<>();
            for (NDArray weight : params.arrays().values()) {
                NDArray grad = weight.getGradient();
                grad.attach(scope);
                grads.add(grad);
            }
            double norm = globalNorm(grads);
            boolean finite = Double.isFinite(norm);
            if (finite) {
                float scale = training.clipNorm() > 0 && norm > training.clipNorm() ? (float) (training.clipNorm() / norm) : 1f;
                int i = 0;
                for (var e : params.arrays().entrySet()) {
                    NDArray grad = grads.get(i++);
                    if (scale < 1f) {
                        grad.muli(scale);
                    }
                    adam.update(e.getKey(), e.getValue(), grad);
                }
            } else {
                skippedBatches++;
            }
            clear(grads);
            return value;
        }
    }

    /**
     * Zeroes the gradients in place: PyTorch accumulates them and DJL's collector does not clear
     * them. Not {@code subi} (NaN − NaN is still NaN after a non-finite batch) and not
     * {@code set(Buffer)}: that makes the tensor alias a buffer owned by this short-lived wrapper,
     * freed when the batch's scope closes while autograd keeps writing into it (heap corruption,
     * seen as native crashes epochs later). An indexed put of a scalar copies.
     */
    static void clear(List<NDArray> grads) {
        for (NDArray grad : grads) {
            grad.set(new NDIndex(":"), 0f); // every parameter has at least one axis
        }
    }

    /** ‖g‖₂ over all gradients together (one number for the whole model, as clip-by-global-norm wants). */
    private static double globalNorm(List<NDArray> grads) {
        double sum = 0;
        for (NDArray g : grads) {
            sum += g.square().sum().getFloat();
        }
        return Math.sqrt(sum);
    }

    private ProgressBar progressBar(int epoch, int batches) {
        if (log == null) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName("epoch " + epoch)
                .setInitialMax(batches)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(log))
                .setUpdateIntervalMillis(500)
                .build();
    }
}
