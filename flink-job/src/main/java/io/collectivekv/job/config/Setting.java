package io.collectivekv.job.config;

import io.collectivekv.model.ConfigException;
import java.util.List;
import java.util.function.Function;

/**
 * One declared setting of the job: its key, default, documentation, and how a text value becomes a
 * typed one (refusing anything else with the key's name).
 *
 * @param <T> the value's type
 */
public final class Setting<T> {
    private final String key;
    private final String defaultValue;
    private final String doc;
    private final Function<String, T> parser;
    private final String accepted;

    private Setting(String key, String defaultValue, String doc, Function<String, T> parser, String accepted) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.parser = parser;
        this.accepted = accepted;
    }

    public static Setting<String> text(String key, String defaultValue, String doc) {
        return new Setting<>(key, defaultValue, doc, v -> {
            if (v.isBlank()) {
                throw new IllegalArgumentException();
            }
            return v;
        }, "a non-empty string");
    }

    public static Setting<Integer> integer(String key, int defaultValue, int min, int max, String doc) {
        return new Setting<>(key, Integer.toString(defaultValue), doc, v -> {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw new IllegalArgumentException();
            }
            return i;
        }, "an integer in [" + min + ", " + max + "]");
    }

    public static Setting<Long> longValue(String key, long defaultValue, long min, String doc) {
        return new Setting<>(key, Long.toString(defaultValue), doc, v -> {
            long l = Long.parseLong(v);
            if (l < min) {
                throw new IllegalArgumentException();
            }
            return l;
        }, "an integer ≥ " + min);
    }

    public static Setting<Boolean> bool(String key, boolean defaultValue, String doc) {
        return new Setting<>(key, Boolean.toString(defaultValue), doc, v -> {
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException();
            }
            return Boolean.parseBoolean(v);
        }, "true or false");
    }

    public static Setting<String> choice(String key, String defaultValue, List<String> choices, String doc) {
        return new Setting<>(key, defaultValue, doc, v -> {
            if (!choices.contains(v)) {
                throw new IllegalArgumentException();
            }
            return v;
        }, "one of " + String.join(", ", choices));
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    public String accepted() {
        return accepted;
    }

    T parse(String value) {
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            throw new ConfigException(key, value, accepted);
        }
    }
}
