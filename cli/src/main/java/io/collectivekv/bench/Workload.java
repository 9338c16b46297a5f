package io.collectivekv.bench;

import io.collectivekv.data.UserSequence;
import io.collectivekv.data.UserSequences;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The events a benchmark replays: the {@code users} longest histories of a data set, round-robin
 * over those users (each user's items in order). A user whose history runs out starts it over, so
 * any number of events can be replayed and the window stays full; event ids stay unique (the
 * phase and the event's index in it), so the job's dedup never drops one.
 *
 * <p>A phase continues where the previous one stopped: the warm-up fills every user's window
 * (W events each), and the measurements that follow run at a full window, the job's steady state.
 */
public final class Workload {
    private final List<UserSequence> users;
    private final int[] cursor;
    private int nextUser;

    /** @param users how many users take part (the longest histories; all of them if fewer) */
    public Workload(UserSequences data, int users) {
        List<UserSequence> all = new ArrayList<>();
        data.forEach(all::add);
        all.sort(Comparator.comparingInt((UserSequence u) -> u.items().size()).reversed().thenComparing(UserSequence::userId));
        this.users = List.copyOf(all.subList(0, Math.min(users, all.size())));
        this.cursor = new int[this.users.size()];
    }

    public int userCount() {
        return users.size();
    }

    /** Mean length of the participating users' histories. */
    public double meanHistory() {
        return users.stream().mapToInt(u -> u.items().size()).average().orElse(0);
    }

    /** Mean length of the participating users' ids and of their items' ids, for the state-size estimate. */
    public double meanUserIdLength() {
        return users.stream().mapToInt(u -> u.userId().length()).average().orElse(0);
    }

    public double meanItemIdLength() {
        return users.stream().flatMap(u -> u.items().stream()).mapToInt(String::length).average().orElse(0);
    }

    /** One event: its id, user and item. */
    public record Event(String eventId, String userId, String itemId) {}

    /** The next {@code count} events, round-robin over the users, ids {@code phase-index}. */
    public List<Event> next(int phase, int count) {
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int u = nextUser;
            nextUser = (nextUser + 1) % users.size();
            UserSequence user = users.get(u);
            String item = user.items().get(cursor[u] % user.items().size());
            cursor[u]++;
            events.add(new Event(phase + "-" + i, user.userId(), item));
        }
        return events;
    }

    /** The phase and index of an event id made by {@link #next}, or null for another id. */
    public static int[] parse(String eventId) {
        int dash = eventId.indexOf('-');
        if (dash <= 0) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(eventId, 0, dash, 10), Integer.parseInt(eventId, dash + 1, eventId.length(), 10)};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
