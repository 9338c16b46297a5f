package io.collectivekv.data;

import java.util.regex.Pattern;

/** How the line formats split into fields. */
final class Fields {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Fields() {
    }

    /** Runs of spaces or tabs separate fields; leading and trailing blanks are ignored. */
    static String[] whitespace(String text) {
        return WHITESPACE.split(text.strip());
    }

    /** Exactly one separator between fields, so an empty field is kept and reported, not silently merged. */
    static String[] separatedBy(char separator, String text) {
        return text.split(Pattern.quote(String.valueOf(separator)), -1);
    }
}
