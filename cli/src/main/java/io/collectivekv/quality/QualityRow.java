package io.collectivekv.quality;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.cache.CacheCodec;
import io.collectivekv.cache.Precision;
import io.collectivekv.eval.EvaluationReport;
import io.collectivekv.eval.RankingMetrics;
import io.collectivekv.model.KvMode;
import io.collectivekv.model.ModelConfig;
import java.util.Map;

/**
 * One row of the quality ledger: a trained artifact's test figures (DESIGN §3) with what its cache
 * costs and how to reproduce it. Field names are the JSON keys of {@code docs/quality.json}.
 *
 * @param cacheBytesPerTokenPerLayer bytes the job keeps per token and layer at the default (fp32) cache precision
 * @param cacheBytesPerTokenPerLayerFp16 the same with {@code cache.precision=fp16}
 * @param fullCacheBytesPerTokenPerLayer an ordinary fp32 K/V cache of the same model width: 2·d·4
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
        double cacheRatio,
        double trainingSeconds,
        int bestEpoch,
        int epochs,
        String lrSchedule,
        String balanceLoss,
        String modelVersion,
        String trainCommand,
        String evalCommand) {
    static final String NOT_RECORDED = "(not recorded)";
    /** Artifacts trained before the balance loss was selectable used DESIGN §2's, the only one there was. */
    private static final String BALANCE_LOSS_BEFORE_THE_KEY = "kl";

    /** The row for {@code artifact}'s test-split {@code report} on {@code dataset}. */
    public static QualityRow of(String dataset, ModelArtifact artifact, EvaluationReport report, String evalCommand) {
        ModelConfig c = artifact.config();
        Map<String, String> meta = artifact.manifest().metadata();
        int full = CacheCodec.fullFp32BytesPerTokenPerLayer(c);
        int fp32 = new CacheCodec(c, Precision.FP32).bytesPerTokenPerLayer();
        int fp16 = new CacheCodec(c, Precision.FP16).bytesPerTokenPerLayer();
        RankingMetrics f = report.full();
        RankingMetrics s = report.sampled();
        return new QualityRow(dataset, c.encoder().id(), c.kvMode().id(), c.d(), c.layers(), c.heads(),
                c.kvMode() == KvMode.COLLECTIVE ? c.userDim() : 0, c.kvMode() == KvMode.COLLECTIVE ? c.poolSize() : 0, c.window(),
                f.count(), round(f.hr10()), round(f.ndcg10()), round(f.hr20()), round(f.ndcg20()), round(f.mrr()),
                round(s.hr10()), round(s.ndcg10()), fp32, fp16, full, round((double) fp32 / full),
                Double.parseDouble(meta.getOrDefault("training.seconds", "0")),
                Integer.parseInt(meta.getOrDefault("training.best_epoch", "0")),
                Integer.parseInt(meta.getOrDefault("training.epochs", "0")),
                meta.getOrDefault("training.lr_schedule", NOT_RECORDED),
                meta.getOrDefault("training.balance_loss", BALANCE_LOSS_BEFORE_THE_KEY),
                artifact.modelVersion(), meta.getOrDefault("command", NOT_RECORDED), evalCommand);
    }

    /** What makes two rows the same experiment: the training command, or the model version when none was recorded. */
    boolean sameExperiment(QualityRow other) {
        return trainCommand.equals(NOT_RECORDED) ? modelVersion.equals(other.modelVersion) : trainCommand.equals(other.trainCommand);
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
