package io.collectivekv.model;

/** The sequence encoder family (DESIGN §3). Both are causal and use relative-position bias only. */
public enum Encoder implements ConfigChoice {
    /** HSTU block: pointwise SiLU attention normalised by the window, gated by U. */
    HSTU,
    /** SASRec block: pre-LN softmax attention followed by a feed-forward layer. */
    SASREC;

    static Encoder parse(String key, String value) {
        return ConfigChoice.parse(Encoder.class, key, value);
    }
}
