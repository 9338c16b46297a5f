package io.collectivekv.job.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UserStateTest {

    @Test
    void theWindowKeepsTheNewestItemsInOrder() {
        UserState s = new UserState();
        for (int i = 0; i < 5; i++) {
            s.append(10 + i, "i" + i, 3);
        }
        assertArrayEquals(new int[] {12, 13, 14}, s.window);
        assertArrayEquals(new String[] {"i2", "i3", "i4"}, s.windowItemIds);
    }

    @Test
    void dedupRemembersTheLastEventIdsOnly() {
        UserState s = new UserState();
        for (int i = 0; i < 5; i++) {
            s.remember("e" + i, 3);
        }
        assertFalse(s.remembers("e0"));
        assertFalse(s.remembers("e1"));
        assertTrue(s.remembers("e2"));
        assertTrue(s.remembers("e4"));
        assertTrue(s.recentEventIds.length == 3, "bounded by the capacity");
    }

    @Test
    void noCapacityMeansNoDedup() {
        UserState s = new UserState();
        s.remember("e0", 0);
        assertFalse(s.remembers("e0"));
    }
}
