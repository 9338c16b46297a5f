package io.collectivekv.quality;

import io.collectivekv.cache.Precision;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The ledger as QUALITY.md's Markdown tables: one per data set, our rows then the published ones,
 * then each row's reproduction commands under its number.
 */
public final class QualityTables {
    private static final int COLUMNS = 19;
    private static final int HR10 = 7;
    private static final int SAMPLED_HR10 = 12;

    private QualityTables() {}

    public static String markdown(QualityLedger ledger, String dataset) {
        StringBuilder md = new StringBuilder();
        md.append("| # | encoder | kv mode | d | d_u | m | negatives | HR@10 | NDCG@10 | HR@20 | NDCG@20 | MRR | sampled HR@10 | sampled NDCG@10 "
                + "| cache B/token/layer | of full fp32 | lr schedule / balance loss | training | best / run epochs |\n");
        md.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
        List<QualityRow> rows = ledger.rows(dataset);
        for (int i = 0; i < rows.size(); i++) {
            QualityRow r = rows.get(i);
            boolean collective = "collective".equals(r.kvMode());
            md.append(String.format(Locale.ROOT,
                    "| %d | %s | %s | %d | %s | %s | %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %s | %.2f%%%s | %s | %s | %d / %d |%n",
                    i + 1, r.encoder(), r.kvMode(), r.d(), collective ? Integer.toString(r.userDim()) : "–",
                    collective ? Integer.toString(r.poolSize()) : "–", r.fittedNotTrained() ? "–" : Integer.toString(r.negatives()),
                    r.hr10(), r.ndcg10(), r.hr20(), r.ndcg20(), r.mrr(),
                    r.sampledHr10(), r.sampledNdcg10(),
                    r.cacheBytesPerTokenPerLayer() == r.cacheBytesPerTokenPerLayerFp16()
                            ? Integer.toString(r.cacheBytesPerTokenPerLayer())
                            : r.cacheBytesPerTokenPerLayer() + " (fp16: " + r.cacheBytesPerTokenPerLayerFp16() + ")",
                    100 * r.cacheRatio(), Precision.FP32.id().equals(r.cachePrecision()) ? "" : " at " + r.cachePrecision(),
                    recipe(r), trainingTime(r), r.bestEpoch(), r.epochs()));
        }
        for (QualityLedger.PublishedResult p : ledger.published(dataset)) {
            String[] cells = new String[COLUMNS];
            Arrays.fill(cells, "");
            cells[1] = "*published: " + p.model() + "*";
            cells[2] = "*" + p.source() + "; " + p.protocol() + "*";
            int at = p.protocol().contains("sampled") ? SAMPLED_HR10 : HR10;
            cells[at] = fmt(p.hr10());
            cells[at + 1] = fmt(p.ndcg10());
            md.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        md.append("\nReproduce a row from the repository root (seeded; the data read in place from ../shared/data):\n\n");
        for (int i = 0; i < rows.size(); i++) {
            md.append(i + 1).append(". `bin/").append(rows.get(i).trainCommand()).append("`<br>`bin/")
                    .append(rows.get(i).evalCommand()).append("`\n");
        }
        return md.toString();
    }

    /** "cosine / kl": how it trained; a model fitted to another and not trained further ran no schedule. */
    static String recipe(QualityRow r) {
        if (r.fittedNotTrained()) {
            return "fitted, not trained";
        }
        return r.lrSchedule() + " / " + ("collective".equals(r.kvMode()) ? r.balanceLoss() : "–");
    }

    /** "65 min", or for a model started from another "31 + 1 min": the start's training, then its own. */
    static String trainingTime(QualityRow r) {
        String own = String.format(Locale.ROOT, "%.0f min", r.trainingSeconds() / 60);
        if (r.startSeconds() == null) {
            return own;
        }
        return (r.startSeconds().isNaN() ? "?" : String.format(Locale.ROOT, "%.0f", r.startSeconds() / 60)) + " + " + own;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
