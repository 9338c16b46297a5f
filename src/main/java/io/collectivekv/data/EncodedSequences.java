package io.collectivekv.data;

/** A data set with its items replaced by item-table rows: what training and evaluation work on. */
public final class EncodedSequences {
    private final ItemIndex index;
    private final String[] userIds;
    private final int[][] rows;

    private EncodedSequences(ItemIndex index, String[] userIds, int[][] rows) {
        this.index = index;
        this.userIds = userIds;
        this.rows = rows;
    }

    /** Items missing from {@code index} become {@link ItemIndex#UNKNOWN_ROW}. */
    public static EncodedSequences encode(UserSequences data, ItemIndex index) {
        String[] userIds = new String[data.userCount()];
        int[][] rows = new int[data.userCount()][];
        for (int u = 0; u < userIds.length; u++) {
            UserSequence user = data.get(u);
            userIds[u] = user.userId();
            rows[u] = user.items().stream().mapToInt(index::row).toArray();
        }
        return new EncodedSequences(index, userIds, rows);
    }

    public ItemIndex index() {
        return index;
    }

    public int userCount() {
        return rows.length;
    }

    public String userId(int user) {
        return userIds[user];
    }

    /** The user's rows, oldest first. Shared, not copied (training reads them in a hot loop): do not modify. */
    public int[] rows(int user) {
        return rows[user];
    }

    public int interactionCount() {
        int count = 0;
        for (int[] user : rows) {
            count += user.length;
        }
        return count;
    }
}
