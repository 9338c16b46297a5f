package io.collectivekv.retrieval;

/**
 * The best items for a user, best first.
 *
 * @param rows   item-table rows
 * @param scores their scores
 */
public record RankedItems(int[] rows, float[] scores) {
    public int size() {
        return rows.length;
    }
}
