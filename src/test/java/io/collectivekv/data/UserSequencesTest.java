package io.collectivekv.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UserSequencesTest {

    static UserSequences sample() {
        Map<String, List<String>> itemsByUser = new LinkedHashMap<>();
        itemsByUser.put("u2", List.of("a", "b", "c"));
        itemsByUser.put("u1", List.of("b", "d"));
        itemsByUser.put("u3", List.of("e"));
        return UserSequences.of(itemsByUser);
    }

    @Test
    void countsAndIteratesInInsertionOrder() {
        UserSequences data = sample();
        assertEquals(3, data.userCount());
        assertEquals(6, data.interactionCount());
        assertEquals(5, data.distinctItemCount());
        List<String> users = new ArrayList<>();
        data.forEach(user -> users.add(user.userId()));
        assertEquals(List.of("u2", "u1", "u3"), users);
    }

    @Test
    void isImmutable() {
        List<String> items = new ArrayList<>(List.of("a"));
        UserSequences data = UserSequences.of(Map.of("u", items));
        items.add("b");
        assertEquals(List.of("a"), data.get(0).items());
        assertThrows(UnsupportedOperationException.class, () -> data.get(0).items().add("c"));
    }

    @Test
    void dropsRareItemsAndThenEmptyUsers() {
        Map<String, List<String>> itemsByUser = new LinkedHashMap<>();
        itemsByUser.put("x", List.of("a", "b"));
        itemsByUser.put("y", List.of("b", "c"));
        itemsByUser.put("z", List.of("d"));
        UserSequences filtered = UserSequences.of(itemsByUser).withoutRareItems(2);
        assertEquals(2, filtered.userCount());
        assertEquals(new UserSequence("x", List.of("b")), filtered.get(0));
        assertEquals(new UserSequence("y", List.of("b")), filtered.get(1));
    }
}
