package io.collectivekv.quality;

import io.collectivekv.quality.QualityLedger.PublishedResult;
import java.util.List;

/** The published points the quality issue names (HR@10 / NDCG@10), kept beside our rows in the ledger. */
final class PublishedReferences {
    private static final String FULL_MASKED = "full ranking, seen items masked";
    private static final String FULL = "full ranking";
    private static final String FULL_3706 = "full ranking, GroupLens ML-1M with 3,706 items";
    private static final String SAMPLED = "100 sampled negatives";

    static final List<PublishedResult> ALL = List.of(
            new PublishedResult("ml-1m", "SASRec (BCE)", "gSASRec paper (Petrov & Macdonald, RecSys 2023), this exact file", FULL_MASKED, 0.2392, 0.1259),
            new PublishedResult("ml-1m", "gSASRec", "gSASRec paper, this exact file", FULL_MASKED, 0.3003, 0.1726),
            new PublishedResult("ml-1m", "SASRec", "HSTU paper (Zhai et al., ICML 2024)", FULL_3706, 0.2853, 0.1603),
            new PublishedResult("ml-1m", "HSTU", "HSTU paper", FULL_3706, 0.3097, 0.1720),
            new PublishedResult("ml-1m", "HSTU-large", "HSTU paper", FULL_3706, 0.3294, 0.1893),
            new PublishedResult("ml-1m", "SASRec", "SASRec paper (Kang & McAuley, ICDM 2018)", SAMPLED, 0.8245, 0.5905),
            new PublishedResult("beauty", "SASRec", "S3-Rec paper (Zhou et al., CIKM 2020), this exact file", FULL, 0.0605, 0.0318),
            new PublishedResult("beauty", "SASRec (cross-entropy)", "reported for this file with a full-softmax loss", FULL, 0.083, 0.042));

    private PublishedReferences() {}
}
