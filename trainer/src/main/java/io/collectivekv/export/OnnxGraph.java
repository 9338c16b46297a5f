package io.collectivekv.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.collectivekv.nn.ModelStage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small ONNX graph builder on the ONNX protobuf classes: values are named by strings, every
 * node gets a fresh output name. Written for this project's needs (opset 17, float and int64
 * tensors) rather than bending a general builder to int64 inputs and multi-output quirks.
 */
public final class OnnxGraph {
    static final int OPSET = 17;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<String, String> constants = new HashMap<>();
    private int nextId;
    private ModelStage stage = ModelStage.GLUE;

    public OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A graph input; a dimension is a Long (fixed) or a String (symbolic, e.g. "batch"). */
    public String input(String name, TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
        return name;
    }

    /** Exposes {@code value} as a graph output called {@code name}. */
    public void output(String value, String name, TensorProto.DataType type, Object... dims) {
        graph.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(value).addOutput(name).setName(name + "_out"));
        graph.addOutput(valueInfo(name, type, dims));
    }

    public String floatInitializer(String name, long[] shape, float[] data) {
        ByteBuffer buf = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        graph.addInitializer(tensor(name, TensorProto.DataType.FLOAT, shape, buf.array()));
        return name;
    }

    String longInitializer(String name, long[] shape, long[] data) {
        ByteBuffer buf = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(data);
        graph.addInitializer(tensor(name, TensorProto.DataType.INT64, shape, buf.array()));
        return name;
    }

    /** A scalar (shape ()) float constant, shared by every node that needs the same value. */
    String scalar(float value) {
        return constants.computeIfAbsent("f" + Float.floatToIntBits(value),
                k -> floatInitializer("const_f_" + (nextId++), new long[0], new float[] {value}));
    }

    /** A scalar int64 constant. */
    String scalar(long value) {
        return constants.computeIfAbsent("l" + value, k -> longInitializer("const_l_" + (nextId++), new long[0], new long[] {value}));
    }

    /** An int64 vector constant (shapes, axes, slice bounds). */
    String longs(long... values) {
        StringBuilder key = new StringBuilder("v");
        for (long v : values) {
            key.append(',').append(v);
        }
        return constants.computeIfAbsent(key.toString(),
                k -> longInitializer("const_v_" + (nextId++), new long[] {values.length}, values));
    }

    /** Nodes added from now on are named {@code <stage>/<op>_<n>}, so a per-node profile adds up per stage. */
    void stage(ModelStage next) {
        stage = next;
    }

    /** Adds a node with one output and returns that output's name. */
    public String node(String op, List<String> inputs, AttributeProto... attributes) {
        String out = stage.id() + "/" + op.toLowerCase() + "_" + (nextId++);
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(inputs).addOutput(out);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return out;
    }

    String node(String op, String input, AttributeProto... attributes) {
        return node(op, List.of(input), attributes);
    }

    static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto intsAttr(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    public byte[] toModelBytes(String producer, String docString) {
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName(producer)
                .setDocString(docString)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    private static TensorProto tensor(String name, TensorProto.DataType type, long[] shape, byte[] raw) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).setRawData(ByteString.copyFrom(raw));
        for (long s : shape) {
            t.addDims(s);
        }
        return t.build();
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        TypeProto type1 = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(type1).build();
    }
}
