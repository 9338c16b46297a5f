package io.collectivekv.model;

/** A configuration value that cannot be used; the message names the key, the value and what is accepted. */
public final class ConfigException extends IllegalArgumentException {
    private final String key;

    public ConfigException(String key, String value, String accepted) {
        super(key + " = " + value + ": expected " + accepted);
        this.key = key;
    }

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
