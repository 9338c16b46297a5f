package io.collectivekv.data;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticInteractionsTest {

    @Test
    void sameSeedSameData() {
        UserSequences a = new SyntheticInteractions(500, 400, 8, 20, 7).generate();
        UserSequences b = new SyntheticInteractions(500, 400, 8, 20, 7).generate();
        UserSequences c = new SyntheticInteractions(500, 400, 8, 20, 8).generate();
        for (int u = 0; u < a.userCount(); u++) {
            assertEquals(a.get(u), b.get(u));
        }
        assertNotEquals(a.get(0), c.get(0));
    }

    @Test
    void sequencesAreLongEnoughAndNeverRepeatAnItem() {
        UserSequences data = new SyntheticInteractions(2_000, 1_000, 20, 15, 1).generate();
        assertEquals(2_000, data.userCount());
        assertEquals("1", data.get(0).userId());
        double mean = (double) data.interactionCount() / data.userCount();
        assertTrue(mean > 12 && mean < 18, "mean length " + mean);
        for (UserSequence user : data) {
            List<String> items = user.items();
            assertTrue(items.size() >= 5, user.userId() + " has " + items.size() + " items");
            assertEquals(items.size(), new HashSet<>(items).size(), user.userId() + " repeats an item");
            items.forEach(item -> assertTrue(Integer.parseInt(item) >= 1 && Integer.parseInt(item) <= 1_000));
        }
    }

    @Test
    void tenThousandUsersInWellUnderASecond() {
        new SyntheticInteractions(1_000, 2_000, 20, 20, 0).generate();
        long start = System.nanoTime();
        UserSequences data = new SyntheticInteractions(10_000, 2_000, 20, 20, 0).generate();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(10_000, data.userCount());
        assertTrue(millis < 1_000, "took " + millis + " ms");
    }

    @Test
    void rejectsClustersTooSmallForASequence() {
        assertThrows(IllegalArgumentException.class, () -> new SyntheticInteractions(10, 20, 5, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticInteractions(10, 100, 5, 3, 0));
    }
}
