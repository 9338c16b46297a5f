package io.collectivekv.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aModelStartedFromAnotherCarriesThatModelsTrainingTime() {
        assertNull(QualityRow.startSeconds(Map.of("training.seconds", "60")));
        assertEquals(1859.9, QualityRow.startSeconds(Map.of("training.init_from", "hstu-full-x", "training.init_from_seconds", "1859.9")));
        assertTrue(QualityRow.startSeconds(Map.of("training.init_from", "hstu-full-x", "training.init_from_seconds", "unknown")).isNaN());
    }
}
