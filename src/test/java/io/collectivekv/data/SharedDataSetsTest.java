package io.collectivekv.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The readers reproduce the statistics published in the shared data README. */
class SharedDataSetsTest {

    @Test
    void ml1m() {
        UserSequences data = DataFormat.read(SharedData.ml1m());
        assertStats(data, 6_040, 3_416, 999_611);
        assertEquals("1", data.get(0).userId());
    }

    @Test
    void beauty() {
        UserSequences data = DataFormat.read(SharedData.beauty());
        assertStats(data, 22_363, 12_101, 198_502);
        assertEquals(List.of("1", "2", "3", "4", "5"), data.get(0).items());
    }

    @Test
    void ml100k() {
        UserSequences data = DataFormat.read(SharedData.ml100k());
        assertStats(data, 943, 1_682, 100_000);
        assertStats(data.withoutRareItems(5), 943, 1_349, 99_287);
    }

    @Test
    void detectsEachFormat() {
        assertEquals(DataFormat.SASREC, DataFormat.detect(SharedData.ml1m()));
        assertEquals(DataFormat.S3REC, DataFormat.detect(SharedData.beauty()));
        assertEquals(DataFormat.GROUPLENS, DataFormat.detect(SharedData.ml100k()));
    }

    @Test
    void ml1mItemsMapToRowsByNumber() {
        ItemIndex index = ItemIndex.of(DataFormat.read(SharedData.ml1m()));
        assertEquals(3_416, index.size());
        assertEquals(2, index.row("1"));
        assertEquals(3_417, index.row("3416"));
    }

    private static void assertStats(UserSequences data, int users, int items, int interactions) {
        assertEquals(users, data.userCount(), "users");
        assertEquals(items, data.distinctItemCount(), "items");
        assertEquals(interactions, data.interactionCount(), "interactions");
    }
}
