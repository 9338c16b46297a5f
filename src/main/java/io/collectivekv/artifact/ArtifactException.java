package io.collectivekv.artifact;

import java.nio.file.Path;

/**
 * An artifact, or one of its files, that cannot be used. The message is one line that names the
 * artifact and the file, because the reader is usually an operator looking at a failed rollout.
 */
public final class ArtifactException extends RuntimeException {

    ArtifactException(String subject, String problem) {
        super(subject + ": " + problem);
    }

    ArtifactException(String subject, String problem, Throwable cause) {
        super(subject + ": " + problem, cause);
    }

    /** "artifact /models/m1.zip: step.onnx", the prefix of every message about a file inside an artifact. */
    static String subject(Path artifact, String file) {
        return "artifact " + artifact + ": " + file;
    }
}
