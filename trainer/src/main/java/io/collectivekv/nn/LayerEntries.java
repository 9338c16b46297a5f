package io.collectivekv.nn;

/**
 * What one layer stores per new token (its cache entries), plus, in collective mode, the router
 * logits the training losses need.
 *
 * @param keyPart     collective: user part u^K (B, T, d_u); full: the key (B, T, d)
 * @param valuePart   collective: user part u^V (B, T, d_u); full: the value (B, T, d)
 * @param keyIndex    collective: pool index a^K (B, T) int64; full: null
 * @param valueIndex  collective: pool index a^V (B, T) int64; full: null
 * @param keyLogits   collective: router logits r^K (B, T, m); full: null
 * @param valueLogits collective: router logits r^V (B, T, m); full: null
 * @param <T>         tensor handle
 */
public record LayerEntries<T>(T keyPart, T valuePart, T keyIndex, T valueIndex, T keyLogits, T valueLogits) {

    public static <T> LayerEntries<T> full(T key, T value) {
        return new LayerEntries<>(key, value, null, null, null, null);
    }
}
