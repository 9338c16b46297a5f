package io.collectivekv.job.it;

import io.collectivekv.artifact.ModelArtifact;
import io.collectivekv.data.ItemIndex;
import io.collectivekv.inference.ModelSession;
import io.collectivekv.retrieval.RankedItems;
import io.collectivekv.retrieval.TopK;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** The core's offline answer for a user's history: prefill, then top-K without the seen items. */
public final class OfflineRecommender implements AutoCloseable {
    private final ModelSession session;
    private final ItemIndex items;
    private final String version;

    public OfflineRecommender(Path artifactPath) throws Exception {
        ModelArtifact artifact = ModelArtifact.open(artifactPath);
        items = artifact.itemIndex();
        session = ModelSession.open(artifact, 1);
        version = artifact.modelVersion();
    }

    public String version() {
        return version;
    }

    public List<String> top(List<String> history, int k) {
        int[] rows = history.stream().mapToInt(items::row).toArray();
        BitSet seen = new BitSet();
        for (int r : rows) {
            seen.set(r);
        }
        RankedItems top = TopK.select(session.prefill(List.of(rows)).get(0).scores(), k, seen);
        List<String> ids = new ArrayList<>();
        for (int r : top.rows()) {
            ids.add(items.externalId(r));
        }
        return ids;
    }

    @Override
    public void close() {
        session.close();
    }
}
