package io.collectivekv.train;

import ai.djl.training.tracker.Tracker;
import io.collectivekv.model.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How Adam's step size moves over the run. */
public enum LearningRateSchedule {
    /** The step size stays at the learning rate. */
    CONSTANT,
    /**
     * Half a cosine from the learning rate down to {@link #FINAL_SHARE} of it at the last update of
     * the epoch budget: large steps early, small ones when early stopping is about to pick the
     * weights, which a constant rate keeps shaking.
     */
    COSINE;

    /** Where the cosine ends, as a share of the learning rate. */
    static final float FINAL_SHARE = 0.01f;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The schedule named {@code value}; an unknown name fails naming {@code key}. */
    public static LearningRateSchedule parse(String key, String value) {
        for (LearningRateSchedule s : values()) {
            if (s.id().equals(value)) {
                return s;
            }
        }
        throw new ConfigException(key, value,
                "one of " + Arrays.stream(values()).map(LearningRateSchedule::id).collect(Collectors.joining(", ")));
    }

    /** The tracker for a run of at most {@code updates} optimiser steps. */
    Tracker tracker(float learningRate, int updates) {
        return switch (this) {
            case CONSTANT -> Tracker.fixed(learningRate);
            case COSINE -> Tracker.cosine()
                    .setBaseValue(learningRate)
                    .optFinalValue(learningRate * FINAL_SHARE)
                    .setMaxUpdates(updates)
                    .build();
        };
    }
}
