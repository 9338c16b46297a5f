package io.collectivekv.artifact;

import java.util.regex.Pattern;

/** What the manifest records about one file: enough to tell a truncated file from an altered one. */
public record FileDigest(String sha256, long bytes) {

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

    public FileDigest {
        if (sha256 == null || !HEX_64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits, got " + (sha256 == null ? "nothing" : "\"" + sha256 + "\""));
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
        }
    }

    public static FileDigest of(byte[] content) {
        return new FileDigest(Sha256.of(content), content.length);
    }
}
