package io.collectivekv.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityRowTest {

    @Test
    void negativesComeFromTheManifestKeyWhenThereIsOne() {
        assertEquals(512, QualityRow.negatives(Map.of("training.negatives", "512", "command", "ckv train --negatives 1024")));
    }

    @Test
    void anOlderArtifactsNegativesComeFromItsCommandOrTheOldDefault() {
        assertEquals(1024, QualityRow.negatives(Map.of("command", "ckv train --data b.txt --negatives 1024 --d 64")));
        assertEquals(2048, QualityRow.negatives(Map.of("command", "ckv train --negatives=2048")));
        assertEquals(256, QualityRow.negatives(Map.of("command", "ckv train --data b.txt --d 64")));
        assertEquals(256, QualityRow.negatives(Map.of()));
    }
}
