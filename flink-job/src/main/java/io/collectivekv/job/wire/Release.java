package io.collectivekv.job.wire;

import java.util.Objects;

/** A decoded model release (a Flink POJO). */
public class Release {
    public String modelVersion;
    public String artifactUri;
    public String manifestSha256;
    /** The record it was decoded from, so a release that fails verification can be dead-lettered as read. */
    public RawRecord source;

    public Release() {}

    public Release(String modelVersion, String artifactUri, String manifestSha256, RawRecord source) {
        this.modelVersion = modelVersion;
        this.artifactUri = artifactUri;
        this.manifestSha256 = manifestSha256;
        this.source = source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Release r && Objects.equals(modelVersion, r.modelVersion)
                && Objects.equals(artifactUri, r.artifactUri) && Objects.equals(manifestSha256, r.manifestSha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelVersion, artifactUri, manifestSha256);
    }

    @Override
    public String toString() {
        return "release " + modelVersion + " at " + artifactUri;
    }
}
