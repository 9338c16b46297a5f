package io.collectivekv.nn;

/**
 * One learned weight: its name (the ONNX initializer's name too), shape and initialisation.
 *
 * @param name  dotted name, e.g. {@code layer0.key_pool}
 * @param shape dimensions, row-major
 * @param init  how the trainer initialises it
 */
public record ParameterSpec(String name, long[] shape, Init init) {

    /** Initialisations used by the model. */
    public enum Init {
        /** N(0, 0.02²), as in GPT-2/nanoGPT: small enough that SiLU attention starts near linear. */
        NORMAL,
        ZEROS,
        ONES
    }

    public long size() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
