package io.collectivekv.cli;

import io.collectivekv.eval.EvaluationReport;
import io.collectivekv.eval.RankingMetrics;
import java.util.Locale;

/** How the commands print evaluation figures. */
final class MetricsReport {
    private MetricsReport() {}

    static String format(String title, EvaluationReport report) {
        RankingMetrics f = report.full();
        RankingMetrics s = report.sampled();
        return String.format(Locale.ROOT,
                "%s (%d users)%n  full ranking:       HR@10 %.4f  NDCG@10 %.4f  HR@20 %.4f  NDCG@20 %.4f  MRR %.4f%n"
                        + "  100 sampled negs:   HR@10 %.4f  NDCG@10 %.4f",
                title, f.count(), f.hr10(), f.ndcg10(), f.hr20(), f.ndcg20(), f.mrr(), s.hr10(), s.ndcg10());
    }
}
