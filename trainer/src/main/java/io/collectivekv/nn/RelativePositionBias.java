package io.collectivekv.nn;

import io.collectivekv.model.ModelConfig;
import java.util.List;

/** A learned bias per head and distance bucket, added to the attention logits of one block. */
final class RelativePositionBias {
    private final String name;
    private final ModelConfig config;

    RelativePositionBias(String prefix, ModelConfig config) {
        this.name = prefix + "rel_pos";
        this.config = config;
    }

    List<ParameterSpec> parameters() {
        return List.of(new ParameterSpec(name, new long[] {config.relPosBuckets(), config.heads()}, ParameterSpec.Init.ZEROS));
    }

    /** (·, H, Tq, Tk) bias for the layout's distances. */
    <T> T bias(TensorOps<T> ops, AttentionLayout<T> layout) {
        long[] buckets = new RelativePositionBuckets(config.relPosBuckets(), config.window()).table();
        T bucketOfDistance = ops.indexConstant("rel_pos_bucket_of_distance", buckets); // (W)
        T perDistance = ops.embed(ops.parameter(name), bucketOfDistance);               // (W, H)
        T b = ops.embed(perDistance, layout.distance());                                // (·, Tq, Tk, H)
        return ops.permute(b, 0, 3, 1, 2);                                             // (·, H, Tq, Tk)
    }
}
