package io.collectivekv.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.collectivekv.nn.ParameterSpec;
import io.collectivekv.nn.Weights;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The model's weights as NDArrays on the PyTorch engine, with gradients attached. */
final class ModelParameters implements AutoCloseable {
    private final NDManager manager;
    private final List<ParameterSpec> specs;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();

    ModelParameters(NDManager parent, List<ParameterSpec> specs, Weights initial) {
        this.manager = parent.newSubManager();
        this.specs = specs;
        for (ParameterSpec spec : specs) {
            NDArray a = manager.create(initial.values(spec.name()), new Shape(spec.shape()));
            a.setRequiresGradient(true);
            arrays.put(spec.name(), a);
        }
    }

    Map<String, NDArray> arrays() {
        return Collections.unmodifiableMap(arrays);
    }

    /** A heap copy of the current values (for early stopping and export). */
    Weights snapshot() {
        Weights w = Weights.empty();
        for (ParameterSpec spec : specs) {
            w.put(spec.name(), spec.shape(), arrays.get(spec.name()).toFloatArray());
        }
        return w;
    }

    @Override
    public void close() {
        manager.close();
    }
}
