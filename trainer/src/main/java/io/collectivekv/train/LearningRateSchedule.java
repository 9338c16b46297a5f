package io.collectivekv.train;

import ai.djl.training.tracker.Tracker;
import io.collectivekv.model.ConfigChoice;

/** How Adam's step size moves over the run. */
public enum LearningRateSchedule implements ConfigChoice {
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

    /** The schedule named {@code value}; an unknown name fails naming {@code key}. */
    public static LearningRateSchedule parse(String key, String value) {
        return ConfigChoice.parse(LearningRateSchedule.class, key, value);
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
