package io.collectivekv.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum whose constants configuration names by their lower-case names ("collective", "fp16",
 * "cosine"): one spelling for flags, manifests and error messages.
 */
public interface ConfigChoice {
    /** The constant's name, as {@link Enum#name()} gives it. */
    String name();

    /** The constant's name in configuration. */
    default String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} called {@code value}; an unknown value fails naming {@code key} and the choices. */
    static <E extends Enum<E> & ConfigChoice> E parse(Class<E> type, String key, String value) {
        E[] choices = type.getEnumConstants();
        for (E choice : choices) {
            if (choice.id().equals(value)) {
                return choice;
            }
        }
        throw new ConfigException(key, value, "one of " + Arrays.stream(choices).map(ConfigChoice::id).collect(Collectors.joining(", ")));
    }
}
