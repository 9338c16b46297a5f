package io.collectivekv.rollout;

/** A rollout step that could not be done: the message says which, on which cluster, and what state the job is in. */
public final class RolloutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RolloutException(String message) {
        super(message);
    }

    public RolloutException(String message, Throwable cause) {
        super(message, cause);
    }
}
