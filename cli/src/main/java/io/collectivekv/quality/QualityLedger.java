package io.collectivekv.quality;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code docs/quality.json}: the published reference points and one {@link QualityRow} per
 * evaluated artifact. A row is replaced when the same training command is recorded again, so
 * re-running a reproduction command updates its row instead of adding a second one.
 */
public record QualityLedger(String protocol, List<PublishedResult> published, List<QualityRow> rows) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static final String PROTOCOL = "leave-one-out (last item = test, second-to-last = validation; model selection on validation only); "
            + "full ranking over the whole catalogue with the user's seen items masked; sampled: the target against 100 uniformly "
            + "sampled unseen items (SASRec's protocol)";

    /** A number from the literature that our rows stand beside. */
    public record PublishedResult(String dataset, String model, String source, String protocol, double hr10, double ndcg10) {}

    /**
     * The order of rows, in the file and in the tables: per data set and encoder, the widest models
     * first (the long runs), collective before full, then by what the cache costs and the pool size.
     */
    private static final Comparator<QualityRow> ORDER = Comparator.comparing(QualityRow::dataset)
            .thenComparing(QualityRow::encoder)
            .thenComparing(Comparator.comparingInt(QualityRow::d).reversed())
            .thenComparing(QualityRow::kvMode)
            .thenComparingInt(QualityRow::cacheBytesPerTokenPerLayer)
            .thenComparingInt(QualityRow::poolSize);

    public QualityLedger {
        published = List.copyOf(published);
        rows = rows.stream().sorted(ORDER).toList();
    }

    /** The ledger at {@code file}, or a new one holding only the published references when there is none yet. */
    public static QualityLedger read(Path file) {
        if (!Files.exists(file)) {
            return new QualityLedger(PROTOCOL, PublishedReferences.ALL, List.of());
        }
        try {
            return JSON.readValue(file.toFile(), QualityLedger.class);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": not a quality ledger (" + e.getMessage() + ")", e);
        }
    }

    /** This ledger with {@code row} added, or in place of the row with the same training command. */
    public QualityLedger with(QualityRow row) {
        List<QualityRow> next = new ArrayList<>();
        for (QualityRow r : rows) {
            if (!r.sameExperiment(row)) {
                next.add(r);
            }
        }
        next.add(row);
        return new QualityLedger(PROTOCOL, PublishedReferences.ALL, next);
    }

    public List<QualityRow> rows(String dataset) {
        return rows.stream().filter(r -> r.dataset().equals(dataset)).toList();
    }

    public List<PublishedResult> published(String dataset) {
        return published.stream().filter(p -> p.dataset().equals(dataset)).toList();
    }

    public void write(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.writeString(file, JSON.writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
