package io.collectivekv.cli;

import io.collectivekv.model.ConfigException;
import picocli.CommandLine.Option;

/** How an offline command runs an artifact's graphs on ONNX Runtime over a whole data set. */
final class OfflineInferenceOptions {
    @Option(names = "--batch-size", description = "users per inference batch (default: ${DEFAULT-VALUE})")
    int batchSize = 256;

    @Option(names = "--threads", description = "ONNX Runtime threads, 0 = all cores (default: ${DEFAULT-VALUE})")
    int threads = 0;

    int batchSize() {
        if (batchSize <= 0) {
            throw new ConfigException("--batch-size", Integer.toString(batchSize), "a positive number");
        }
        return batchSize;
    }

    int threads() {
        if (threads < 0) {
            throw new ConfigException("--threads", Integer.toString(threads), "a number ≥ 0");
        }
        return threads;
    }
}
