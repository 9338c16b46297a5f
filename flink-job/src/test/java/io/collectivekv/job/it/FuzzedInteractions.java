package io.collectivekv.job.it;

import io.collectivekv.data.EncodedSequences;
import io.collectivekv.job.wire.HostileRecords;
import io.collectivekv.job.wire.HostileRecords.Hostile;
import io.collectivekv.schema.InteractionEvent;
import io.collectivekv.train.TinyModels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded stream for the interactions topic: users' real histories (at most W events each, so the
 * offline prefill is the job's answer), a few unknown items, bursts of exact duplicates (a producer's
 * retries) and hostile records, all interleaved; with what the job must make of each record.
 */
final class FuzzedInteractions {
    /** One record to send: a good event (reason null), a duplicate of one, or a hostile record. */
    record Entry(String kind, byte[] key, byte[] value, String eventId, String reason) {
        boolean bad() {
            return reason != null;
        }
    }

    final List<Entry> entries = new ArrayList<>();
    /** Each good event's id and the item history of its user up to and including it, in send order. */
    final Map<String, List<String>> histories = new LinkedHashMap<>();
    /** The last good event of every user: once all are answered, every record before them was handled. */
    final List<String> lastEvents = new ArrayList<>();
    int duplicates;

    /**
     * @param nowMillis about when the records will be sent (their Kafka timestamps)
     */
    FuzzedInteractions(long seed, int users, int maxFieldLength, long nowMillis) {
        Random random = new Random(seed);
        HostileRecords hostile = new HostileRecords(seed, maxFieldLength);
        EncodedSequences data = TinyModels.data();
        List<List<String>> pending = new ArrayList<>();
        List<List<String>> seen = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            List<String> items = new ArrayList<>();
            int[] rows = data.rows(u);
            for (int t = 0; t < Math.min(rows.length, TinyModels.WINDOW); t++) {
                items.add(random.nextInt(20) == 0 ? "unknown-item-" + u + "-" + t : data.index().externalId(rows[t]));
            }
            pending.add(items);
            seen.add(new ArrayList<>());
        }
        List<Integer> active = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            active.add(u);
        }
        while (!active.isEmpty()) {
            int u = active.get(random.nextInt(active.size()));
            String user = "user-" + data.userId(u);
            if (random.nextInt(5) < 2) {
                Hostile h = hostile.next(user, data.index().externalId(data.rows(u)[0]), nowMillis);
                entries.add(new Entry(h.kind(), h.key(), h.value(), null, h.reason()));
                continue;
            }
            String item = pending.get(u).remove(0);
            seen.get(u).add(item);
            String eventId = user + "#" + seen.get(u).size();
            byte[] value = HostileRecords.encode(new InteractionEvent(eventId, user, item, "view", Instant.ofEpochMilli(nowMillis)));
            Entry good = new Entry("good", HostileRecords.utf8(user), value, eventId, null);
            entries.add(good);
            histories.put(eventId, List.copyOf(seen.get(u)));
            if (pending.get(u).isEmpty()) {
                // No duplicates after a user's last event, so that its answer is the last of that user's.
                active.remove(Integer.valueOf(u));
                lastEvents.add(eventId);
            } else if (random.nextInt(8) == 0) {
                for (int copies = 1 + random.nextInt(4); copies > 0; copies--) {
                    entries.add(new Entry("duplicate", good.key(), good.value(), eventId, null));
                    duplicates++;
                }
            }
        }
    }

    long bad() {
        return entries.stream().filter(Entry::bad).count();
    }
}
