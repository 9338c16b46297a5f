package io.collectivekv.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An immutable data set: users, in the order they were first seen, each with a chronological list of item ids. */
public final class UserSequences implements Iterable<UserSequence> {
    private final List<UserSequence> users;

    private UserSequences(List<UserSequence> users) {
        this.users = List.copyOf(users);
    }

    /** Users in the map's iteration order (so pass a {@link java.util.LinkedHashMap} to keep file order). */
    public static UserSequences of(Map<String, ? extends List<String>> itemsByUser) {
        List<UserSequence> users = new ArrayList<>(itemsByUser.size());
        itemsByUser.forEach((user, items) -> users.add(new UserSequence(user, items)));
        return new UserSequences(users);
    }

    public int userCount() {
        return users.size();
    }

    public int interactionCount() {
        int count = 0;
        for (UserSequence user : users) {
            count += user.items().size();
        }
        return count;
    }

    public int distinctItemCount() {
        Set<String> items = new HashSet<>();
        for (UserSequence user : users) {
            items.addAll(user.items());
        }
        return items.size();
    }

    public UserSequence get(int index) {
        return users.get(index);
    }

    @Override
    public Iterator<UserSequence> iterator() {
        return users.iterator();
    }

    /**
     * Drops items with fewer than {@code minItemCount} interactions in this data set, and users left with
     * no items. Short users are otherwise kept: this is not k-core filtering, and it reproduces the
     * published ml-100k figures (1,349 items after dropping those with fewer than 5 ratings).
     */
    public UserSequences withoutRareItems(int minItemCount) {
        Map<String, Integer> counts = new HashMap<>();
        for (UserSequence user : users) {
            for (String item : user.items()) {
                counts.merge(item, 1, Integer::sum);
            }
        }
        List<UserSequence> kept = new ArrayList<>(users.size());
        for (UserSequence user : users) {
            List<String> items = user.items().stream().filter(item -> counts.get(item) >= minItemCount).toList();
            if (!items.isEmpty()) {
                kept.add(new UserSequence(user.userId(), items));
            }
        }
        return new UserSequences(kept);
    }
}
