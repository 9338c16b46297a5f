package io.collectivekv.cache;

/** Stored cache bytes that this build cannot decode for the active model. */
public final class CacheFormatException extends IllegalArgumentException {
    public CacheFormatException(String message) {
        super(message);
    }
}
