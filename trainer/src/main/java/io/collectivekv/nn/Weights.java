package io.collectivekv.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The values of every learned weight of a model, on the heap, row-major: what training produces
 * and what the ONNX export writes as initializers.
 */
public final class Weights {
    private final Map<String, float[]> values;
    private final Map<String, long[]> shapes;

    private Weights(Map<String, float[]> values, Map<String, long[]> shapes) {
        this.values = values;
        this.shapes = shapes;
    }

    /** Fresh weights, identical for a seed whatever the engine (drawn here, not by the engine's RNG). */
    public static Weights initialise(List<ParameterSpec> specs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Weights w = new Weights(new LinkedHashMap<>(), new LinkedHashMap<>());
        for (ParameterSpec spec : specs) {
            float[] v = new float[Math.toIntExact(spec.size())];
            switch (spec.init()) {
                case NORMAL -> {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (gaussian(random) * 0.02);
                    }
                }
                case ONES -> java.util.Arrays.fill(v, 1f);
                case ZEROS -> { }
            }
            w.put(spec.name(), spec.shape(), v);
        }
        return w;
    }

    /** An empty set to fill, e.g. from a trained model. */
    public static Weights empty() {
        return new Weights(new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    public void put(String name, long[] shape, float[] value) {
        values.put(name, value);
        shapes.put(name, shape);
    }

    public float[] values(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no weight named " + name);
        }
        return v;
    }

    public long[] shape(String name) {
        return shapes.get(name);
    }

    public Map<String, float[]> all() {
        return Collections.unmodifiableMap(values);
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller: SplittableRandom has no nextGaussian on Java 17.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
