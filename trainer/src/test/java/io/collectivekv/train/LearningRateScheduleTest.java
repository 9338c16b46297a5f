package io.collectivekv.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.training.tracker.Tracker;
import io.collectivekv.model.ConfigException;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void cosineFallsFromTheLearningRateToItsFinalShareOverTheBudget() {
        Tracker cosine = LearningRateSchedule.COSINE.tracker(2e-3f, 1000);
        assertEquals(2e-3f, cosine.getNewValue(0), 1e-9f);
        assertEquals((2e-3f + 2e-5f) / 2, cosine.getNewValue(500), 1e-6f);
        assertEquals(2e-5f, cosine.getNewValue(1000), 1e-9f);
        assertEquals(2e-5f, cosine.getNewValue(5000), 1e-9f, "past the budget the rate stays at its floor");
        for (int t = 1; t <= 1000; t++) {
            assertTrue(cosine.getNewValue(t) <= cosine.getNewValue(t - 1), "never rises, at update " + t);
        }
    }

    @Test
    void constantStaysAtTheLearningRate() {
        Tracker constant = LearningRateSchedule.CONSTANT.tracker(2e-3f, 1000);
        assertEquals(2e-3f, constant.getNewValue(0));
        assertEquals(2e-3f, constant.getNewValue(999));
    }

    @Test
    void anUnknownNameFailsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> LearningRateSchedule.parse("lr-schedule", "linear"));
        assertTrue(e.getMessage().contains("lr-schedule"), e.getMessage());
        assertTrue(e.getMessage().contains("constant, cosine"), e.getMessage());
        assertEquals(LearningRateSchedule.COSINE, LearningRateSchedule.parse("lr-schedule", "cosine"));
    }
}
