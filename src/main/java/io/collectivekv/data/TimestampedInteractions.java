package io.collectivekv.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interactions collected in file order with their timestamps, turned into per-user sequences ordered
 * by (timestamp, line in the file). Ties are common (ml-100k: half of adjacent pairs), and the last two
 * items decide a leave-one-out split, so the order of equal timestamps must be fixed: file order is.
 */
final class TimestampedInteractions {
    private final Map<String, List<Event>> eventsByUser = new LinkedHashMap<>();

    private record Event(long timestamp, String item) {
    }

    void add(Line line, String user, String item, String timestamp) {
        if (user.isEmpty()) {
            throw line.malformed("empty user id");
        }
        if (item.isEmpty()) {
            throw line.malformed("empty item id");
        }
        eventsByUser.computeIfAbsent(user, u -> new ArrayList<>()).add(new Event(parseTimestamp(line, timestamp), item));
    }

    boolean isEmpty() {
        return eventsByUser.isEmpty();
    }

    UserSequences toSequences() {
        Map<String, List<String>> itemsByUser = new LinkedHashMap<>();
        eventsByUser.forEach((user, events) -> {
            // List.sort is stable, and events are in file order, so equal timestamps keep file order.
            events.sort(Comparator.comparingLong(Event::timestamp));
            itemsByUser.put(user, events.stream().map(Event::item).toList());
        });
        return UserSequences.of(itemsByUser);
    }

    private static long parseTimestamp(Line line, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw line.malformed("timestamp is not an integer: '" + text + "'");
        }
    }
}
