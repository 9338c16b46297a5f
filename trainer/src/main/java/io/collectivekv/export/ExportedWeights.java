package io.collectivekv.export;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.collectivekv.nn.ParameterSpec;
import io.collectivekv.nn.Weights;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a model's learned weights back out of a graph the exporter wrote: every parameter is an
 * initializer under its own name ({@link OnnxOps#parameter}), so an artifact is also a checkpoint.
 */
public final class ExportedWeights {
    private ExportedWeights() {}

    /**
     * @param graph  an exported ONNX graph (prefill or step: both carry every weight)
     * @param specs  the weights to read, with the shapes the reader expects
     * @param source names the artifact in errors
     */
    public static Weights read(byte[] graph, List<ParameterSpec> specs, String source) {
        Map<String, TensorProto> initializers = new HashMap<>();
        try {
            for (TensorProto t : ModelProto.parseFrom(graph).getGraph().getInitializerList()) {
                initializers.put(t.getName(), t);
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(source + ": its graph is not a readable ONNX model (" + e.getMessage() + ")");
        }
        Weights weights = Weights.empty();
        for (ParameterSpec spec : specs) {
            TensorProto t = initializers.get(spec.name());
            if (t == null) {
                throw new IllegalArgumentException(source + " has no weight named " + spec.name());
            }
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            if (!Arrays.equals(dims, spec.shape()) || t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                throw new IllegalArgumentException(source + ": weight " + spec.name() + " is " + TensorProto.DataType.forNumber(t.getDataType())
                        + " " + Arrays.toString(dims) + ", expected FLOAT " + Arrays.toString(spec.shape()));
            }
            float[] values = new float[Math.toIntExact(spec.size())];
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            weights.put(spec.name(), spec.shape(), values);
        }
        return weights;
    }
}
