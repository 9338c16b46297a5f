package io.collectivekv.job.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.collectivekv.model.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {
    /** deploy/recommender.properties, relative to this module. */
    private static final Path DEFAULTS_FILE = Path.of("..", "deploy", "recommender.properties");

    @Test
    void theDocumentedDefaultsFileMatchesTheDeclarations() throws Exception {
        assertEquals(JobConfig.defaultsFile(), Files.readString(DEFAULTS_FILE),
                "regenerate deploy/recommender.properties from JobConfig.defaultsFile()");
    }

    @Test
    void theDefaultsFileLoadsToTheDefaults() {
        JobConfig loaded = JobConfig.load(DEFAULTS_FILE, Map.of());
        for (Setting<?> s : JobSettings.ALL) {
            assertEquals(JobConfig.defaults().get(s), loaded.get(s), s.key());
        }
    }

    @Test
    void overridesWinOverTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "recommend.top.k=20\ncache.mode=full\n");
        JobConfig c = JobConfig.load(file, JobConfig.overrides(new String[] {"--recommend.top.k", "5"}));
        assertEquals(5, c.get(JobSettings.TOP_K));
        assertEquals("full", c.get(JobSettings.CACHE_MODE));
    }

    @Test
    void anUnknownKeyIsRefusedByName() {
        ConfigException e = assertThrows(ConfigException.class, () -> JobConfig.of(Map.of("cache.mdoe", "full")));
        assertTrue(e.getMessage().startsWith("cache.mdoe: unknown setting (known: kafka.bootstrap.servers,"), e.getMessage());
    }

    @Test
    void aBadValueNamesTheKeyAndWhatIsAccepted() {
        ConfigException e = assertThrows(ConfigException.class, () -> JobConfig.of(Map.of("cache.mode", "huge")));
        assertEquals("cache.mode = huge: expected one of collective, full, none", e.getMessage());
        e = assertThrows(ConfigException.class, () -> JobConfig.of(Map.of("recommend.top.k", "0")));
        assertEquals("recommend.top.k = 0: expected an integer in [1, 1000]", e.getMessage());
    }

    @Test
    void aDanglingFlagIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> JobConfig.overrides(new String[] {"--parallelism"}));
        assertEquals("--parallelism: expected --<setting> <value> pairs", e.getMessage());
    }
}
