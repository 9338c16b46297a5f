package io.collectivekv.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import io.collectivekv.nn.TensorOps;
import java.util.Map;

/**
 * {@link TensorOps} on DJL NDArrays (PyTorch engine), with autograd when training.
 *
 * <p>Every result is attached to {@code scope}, a per-batch manager: without that, results of ops
 * whose first operand is a weight would live in the weights' manager and never be freed.
 */
final class DjlOps implements TensorOps<NDArray> {
    private final Map<String, NDArray> parameters;
    private final NDManager scope;
    private final boolean training;

    DjlOps(Map<String, NDArray> parameters, NDManager scope, boolean training) {
        this.parameters = parameters;
        this.scope = scope;
        this.training = training;
    }

    private NDArray keep(NDArray a) {
        a.attach(scope);
        return a;
    }

    @Override
    public NDArray parameter(String name) {
        NDArray p = parameters.get(name);
        if (p == null) {
            throw new IllegalStateException("no parameter named " + name);
        }
        return p;
    }

    @Override
    public boolean training() {
        return training;
    }

    @Override
    public NDArray embed(NDArray table, NDArray indices) {
        return keep(Embedding.embedding(indices, table, SparseFormat.DENSE).singletonOrThrow());
    }

    @Override
    public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        NDArray y = keep(x.matMul(weight));
        return bias == null ? y : keep(y.add(bias));
    }

    @Override
    public NDArray matmul(NDArray a, NDArray b) {
        return keep(a.matMul(b));
    }

    @Override
    public NDArray matmulTransposed(NDArray a, NDArray b) {
        return keep(a.matMul(keep(b.transpose())));
    }

    @Override
    public NDArray indexConstant(String name, long[] values) {
        return scope.create(values);
    }

    @Override
    public NDArray add(NDArray a, NDArray b) {
        return keep(a.add(b));
    }

    @Override
    public NDArray mul(NDArray a, NDArray b) {
        return keep(a.mul(b));
    }

    @Override
    public NDArray scale(NDArray x, float factor) {
        return keep(x.mul(factor));
    }

    @Override
    public NDArray sigmoid(NDArray x) {
        return keep(Activation.sigmoid(x));
    }

    @Override
    public NDArray relu(NDArray x) {
        return keep(Activation.relu(x));
    }

    @Override
    public NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        Shape last = new Shape(x.getShape().get(x.getShape().dimension() - 1));
        return keep(LayerNorm.layerNorm(x, last, gamma, beta, LAYER_NORM_EPSILON).singletonOrThrow());
    }

    @Override
    public NDArray softmaxLast(NDArray x) {
        return keep(x.softmax(-1));
    }

    @Override
    public NDArray maxLast(NDArray x) {
        return keep(x.max(new int[] {-1}, true));
    }

    @Override
    public NDArray argmaxLast(NDArray x) {
        return keep(x.argMax(-1));
    }

    @Override
    public NDArray sliceLast(NDArray x, int from, int to) {
        return keep(x.get(new NDIndex("..., " + from + ":" + to)));
    }

    @Override
    public NDArray concat(NDArray a, NDArray b, int axis) {
        return keep(a.concat(b, axis));
    }

    @Override
    public NDArray permute(NDArray x, int... axes) {
        return keep(x.transpose(axes));
    }

    @Override
    public NDArray splitHeads(NDArray x, int heads) {
        Shape s = x.getShape(); // (B, T, d)
        return keep(keep(x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads)).transpose(0, 2, 1, 3));
    }

    @Override
    public NDArray mergeHeads(NDArray x) {
        Shape s = x.getShape(); // (B, H, T, dh)
        return keep(keep(x.transpose(0, 2, 1, 3)).reshape(s.get(0), s.get(2), s.get(1) * s.get(3)));
    }

    @Override
    public NDArray dropout(NDArray x, float rate) {
        if (!training || rate <= 0f) {
            return x;
        }
        return keep(Dropout.dropout(x, rate, true).singletonOrThrow());
    }
}
