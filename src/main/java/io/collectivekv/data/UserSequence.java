package io.collectivekv.data;

import java.util.List;

/** One user's interactions: external item ids, oldest first. */
public record UserSequence(String userId, List<String> items) {

    public UserSequence {
        items = List.copyOf(items);
    }
}
