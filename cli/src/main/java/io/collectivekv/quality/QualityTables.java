package io.collectivekv.quality;

import java.util.Arrays;
import java.util.Locale;

/** The ledger as QUALITY.md's Markdown tables: one per data set, our rows then the published ones. */
public final class QualityTables {
    private static final int COLUMNS = 16;
    private static final int HR10 = 5;
    private static final int SAMPLED_HR10 = 10;

    private QualityTables() {}

    public static String markdown(QualityLedger ledger, String dataset) {
        StringBuilder md = new StringBuilder();
        md.append("| encoder | kv mode | d | d_u | m | HR@10 | NDCG@10 | HR@20 | NDCG@20 | MRR | sampled HR@10 | sampled NDCG@10 "
                + "| cache B/token/layer | of full fp32 | training | best / run epochs |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (QualityRow r : ledger.rows(dataset)) {
            boolean collective = "collective".equals(r.kvMode());
            md.append(String.format(Locale.ROOT,
                    "| %s | %s | %d | %s | %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %s | %.2f%% | %.0f min | %d / %d |%n",
                    r.encoder(), r.kvMode(), r.d(), collective ? Integer.toString(r.userDim()) : "–",
                    collective ? Integer.toString(r.poolSize()) : "–", r.hr10(), r.ndcg10(), r.hr20(), r.ndcg20(), r.mrr(),
                    r.sampledHr10(), r.sampledNdcg10(),
                    r.cacheBytesPerTokenPerLayer() == r.cacheBytesPerTokenPerLayerFp16()
                            ? Integer.toString(r.cacheBytesPerTokenPerLayer())
                            : r.cacheBytesPerTokenPerLayer() + " (fp16: " + r.cacheBytesPerTokenPerLayerFp16() + ")",
                    100 * r.cacheRatio(), r.trainingSeconds() / 60, r.bestEpoch(), r.epochs()));
        }
        for (QualityLedger.PublishedResult p : ledger.published(dataset)) {
            String[] cells = new String[COLUMNS];
            Arrays.fill(cells, "");
            cells[0] = "*published: " + p.model() + "*";
            cells[1] = "*" + p.source() + "; " + p.protocol() + "*";
            int at = p.protocol().contains("sampled") ? SAMPLED_HR10 : HR10;
            cells[at] = fmt(p.hr10());
            cells[at + 1] = fmt(p.ndcg10());
            md.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        return md.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
