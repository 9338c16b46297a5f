package io.collectivekv.data;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared data sets, found through {@value #ENV}. Unset: tests using them are skipped (they are not
 * ours to ship). Set but incomplete: they fail, since a wrong path must not pass as a skip.
 */
public final class SharedData {
    public static final String ENV = "CKV_DATA_DIR";

    private SharedData() {
    }

    public static Path ml1m() {
        return file("ml-1m/ml-1m.txt");
    }

    public static Path beauty() {
        return file("beauty/Beauty.txt");
    }

    public static Path ml100k() {
        return file("ml-100k/u.data");
    }

    public static Path file(String relative) {
        String dir = System.getenv(ENV);
        Assumptions.assumeTrue(dir != null && !dir.isBlank(), ENV + " is not set: skipping tests on the shared data sets");
        Path file = Path.of(dir).resolve(relative);
        Assertions.assertTrue(Files.isRegularFile(file), ENV + "=" + dir + " but " + file + " is missing");
        return file;
    }
}
