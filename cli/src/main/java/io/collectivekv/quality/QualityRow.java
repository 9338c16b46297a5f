package io.collectivekv.quality;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.cache.CacheCodec;
import io.collectivekv.cache.Precision;
import io.collectivekv.eval.EvaluationReport;
import io.collectivekv.eval.RankingMetrics;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of the quality ledger: a trained artifact's test figures (DESIGN §3) with what its cache
 * costs and how to reproduce it. Field names are the JSON keys of {@code docs/quality.json}.
 *
 * @param negatives    uniformly sampled negatives per batch of the sampled softmax it was trained with
 * @param cacheBytesPerTokenPerLayer bytes the job keeps per token and layer at the default (fp32) cache precision
 * @param cacheBytesPerTokenPerLayerFp16 the same with {@code cache.precision=fp16}
 * @param fullCacheBytesPerTokenPerLayer an ordinary fp32 K/V cache of the same model width: 2·d·4
 * @param cachePrecision the cache precision the figures were measured at: fp32 through the prefill path (the training
 *                       function), or the precision of the state codec the step path went through
 * @param cacheRatio     the cache at {@code cachePrecision} against the full fp32 cache
 * @param startSeconds for a model started from another (train --init-from), that model's training time, which
 *                     this row's cost includes; null for a model trained from fresh weights
 * @param lrSchedule   the learning-rate schedule it was trained under (constant, cosine)
 * @param balanceLoss  the router balance loss it was trained with (kl, load; meaningless for a full model)
 * @param trainCommand the command that trained the artifact, as recorded in its manifest
 * @param evalCommand  the command that produced the figures and this row
 */
public record QualityRow(
        String dataset,
        String encoder,
        String kvMode,
        int d,
        int layers,
        int heads,
        int userDim,
        int poolSize,
        int window,
        int negatives,
        int users,
        double hr10,
        double ndcg10,
        double hr20,
        double ndcg20,
        double mrr,
        double sampledHr10,
        double sampledNdcg10,
        int cacheBytesPerTokenPerLayer,
        int cacheBytesPerTokenPerLayerFp16,
        int fullCacheBytesPerTokenPerLayer,
        String cachePrecision,
        double cacheRatio,
        double trainingSeconds,
        Double startSeconds,
        int bestEpoch,
        int epochs,
        String lrSchedule,
        String balanceLoss,
        String modelVersion,
        String trainCommand,
        String evalCommand) {
    static final String NOT_RECORDED = "(not recorded)";
    /**
     * Artifacts trained before the manifest recorded it used the {@code --negatives} of their command, or else
     * 256, the only default there was.
     */
    private static final Pattern NEGATIVES_FLAG = Pattern.compile("--negatives[ =](\\d+)");
    private static final int NEGATIVES_BEFORE_THE_KEY = 256;
    /** Rows recorded before the precision was a column were measured through the prefill path, in fp32. */
    private static final Precision PRECISION_BEFORE_THE_KEY = Precision.FP32;
    /** Artifacts trained before the balance loss was selectable used DESIGN §2's, the only one there was. */
    private static final String BALANCE_LOSS_BEFORE_THE_KEY = "kl";

    public QualityRow {
        if (cachePrecision == null) {
            cachePrecision = PRECISION_BEFORE_THE_KEY.id();
        }
    }

    /** The row for {@code artifact}'s test-split {@code report}, measured over a cache of {@code precision}, on {@code dataset}. */
    public static QualityRow of(String dataset, ModelArtifact artifact, EvaluationReport report, Precision precision, String evalCommand) {
        ModelConfig c = artifact.config();
        Map<String, String> meta = artifact.manifest().metadata();
        int full = CacheCodec.fullFp32BytesPerTokenPerLayer(c);
        int fp32 = new CacheCodec(c, Precision.FP32).bytesPerTokenPerLayer();
        int fp16 = new CacheCodec(c, Precision.FP16).bytesPerTokenPerLayer();
        int measured = new CacheCodec(c, precision).bytesPerTokenPerLayer();
        RankingMetrics f = report.full();
        RankingMetrics s = report.sampled();
        return new QualityRow(dataset, c.encoder().id(), c.kvMode().id(), c.d(), c.layers(), c.heads(),
                c.kvMode() == KvMode.COLLECTIVE ? c.userDim() : 0, c.kvMode() == KvMode.COLLECTIVE ? c.poolSize() : 0, c.window(), negatives(meta),
                f.count(), round(f.hr10()), round(f.ndcg10()), round(f.hr20()), round(f.ndcg20()), round(f.mrr()),
                round(s.hr10()), round(s.ndcg10()), fp32, fp16, full, precision.id(), round((double) measured / full),
                Double.parseDouble(meta.getOrDefault("training.seconds", "0")),
                startSeconds(meta),
                Integer.parseInt(meta.getOrDefault("training.best_epoch", "0")),
                Integer.parseInt(meta.getOrDefault("training.epochs", "0")),
                meta.getOrDefault("training.lr_schedule", NOT_RECORDED),
                meta.getOrDefault("training.balance_loss", BALANCE_LOSS_BEFORE_THE_KEY),
                artifact.modelVersion(), meta.getOrDefault("command", NOT_RECORDED), evalCommand);
    }

    static int negatives(Map<String, String> meta) {
        String recorded = meta.get("training.negatives");
        if (recorded != null) {
            return Integer.parseInt(recorded);
        }
        Matcher flag = NEGATIVES_FLAG.matcher(meta.getOrDefault("command", ""));
        return flag.find() ? Integer.parseInt(flag.group(1)) : NEGATIVES_BEFORE_THE_KEY;
    }

    static Double startSeconds(Map<String, String> meta) {
        if (!meta.containsKey("training.init_from")) {
            return null;
        }
        String recorded = meta.getOrDefault("training.init_from_seconds", "");
        return recorded.matches("[0-9]+(\\.[0-9]+)?") ? Double.valueOf(recorded) : Double.NaN;
    }

    /** Fitted to another model (train --init-from) and not trained after: no schedule or negatives of its own. */
    public boolean fittedNotTrained() {
        return startSeconds != null && epochs == 0;
    }

    /** Bytes per token and layer of the cache the figures were measured over. */
    public int measuredCacheBytesPerTokenPerLayer() {
        return Precision.FP16.id().equals(cachePrecision) ? cacheBytesPerTokenPerLayerFp16 : cacheBytesPerTokenPerLayer;
    }

    /** What makes two rows the same experiment: the training command, or the model version when none was recorded. */
    boolean sameExperiment(QualityRow other) {
        return trainCommand.equals(NOT_RECORDED) ? modelVersion.equals(other.modelVersion) : trainCommand.equals(other.trainCommand);
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
