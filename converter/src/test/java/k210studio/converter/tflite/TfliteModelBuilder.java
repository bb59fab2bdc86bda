package k210studio.converter.tflite;

import com.google.flatbuffers.FlatBufferBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Writes small TFLite flatbuffers for tests (schema field order as the importer reads it), so
 * operators absent from the fixtures can be imported and checked. Test scaffolding made by the
 * project, not a third-party file.
 */
final class TfliteModelBuilder {
    private record TensorSpec(String name, int type, int[] shape, byte[] data, float[] scale, long[] zp, int axis,
                              int[] signature) {
    }

    private record OpSpec(int code, int[] inputs, int[] outputs, int optionsType, ToIntFunction<FlatBufferBuilder> options,
                          String custom) {
    }

    private final List<TensorSpec> tensors = new ArrayList<>();
    /** Tensors whose data goes after the flatbuffer (schema 3c Buffer.offset/size) instead of inline. */
    private final java.util.Set<Integer> external = new java.util.HashSet<>();
    /** Tensors marked as sparse (an empty SparsityParameters table). */
    private final java.util.Set<Integer> sparse = new java.util.HashSet<>();

    void markSparse(int tensor) {
        sparse.add(tensor);
    }
    private final List<OpSpec> ops = new ArrayList<>();
    private boolean oldOpcodes;
    /** Model.metadata entries: name → the bytes of the buffer they point to. */
    private final java.util.Map<String, byte[]> metadata = new java.util.LinkedHashMap<>();

    /** Adds a Model.metadata entry ("TFLITE_METADATA") with its own buffer. */
    TfliteModelBuilder metadata(String name, byte[] bytes) {
        metadata.put(name, bytes);
        return this;
    }

    /** Fill only deprecated_builtin_code, as TOCO-era files do. */
    TfliteModelBuilder oldOpcodes() {
        oldOpcodes = true;
        return this;
    }

    int activation(String name, int... shape) {
        return tensor(name, TensorType.FLOAT32, shape, null, null, null, 0);
    }

    int tensor(String name, TensorType type, int[] shape, byte[] data, float[] scale, long[] zp, int axis) {
        tensors.add(new TensorSpec(name, type.code(), shape, data, scale, zp, axis, null));
        return tensors.size() - 1;
    }

    /** A float activation with a shape_signature (−1 = known only at run time). */
    int dynamicActivation(String name, int[] shape, int[] signature) {
        tensors.add(new TensorSpec(name, TensorType.FLOAT32.code(), shape, null, null, null, 0, signature));
        return tensors.size() - 1;
    }

    int floats(String name, int[] shape, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return tensor(name, TensorType.FLOAT32, shape, b.array(), null, null, 0);
    }

    /** Float constant stored outside the flatbuffer, at Buffer.offset/size from the start of the file. */
    int externalFloats(String name, int[] shape, float... v) {
        int t = floats(name, shape, v);
        external.add(t);
        return t;
    }

    int halfs(String name, int[] shape, short... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short f : v) {
            b.putShort(f);
        }
        return tensor(name, TensorType.FLOAT16, shape, b.array(), null, null, 0);
    }

    int ints(String name, int[] shape, int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int f : v) {
            b.putInt(f);
        }
        return tensor(name, TensorType.INT32, shape, b.array(), null, null, 0);
    }

    void op(int code, int[] inputs, int[] outputs) {
        ops.add(new OpSpec(code, inputs, outputs, 0, null, null));
    }

    void op(int code, int[] inputs, int[] outputs, int optionsType, ToIntFunction<FlatBufferBuilder> options) {
        ops.add(new OpSpec(code, inputs, outputs, optionsType, options, null));
    }

    void custom(String name, int[] inputs, int[] outputs) {
        ops.add(new OpSpec(BuiltinOperator.CUSTOM, inputs, outputs, 0, null, name));
    }

    /** An options table with int/byte/float fields given as (field index, kind, value) triples. */
    static ToIntFunction<FlatBufferBuilder> options(Object... fieldKindValue) {
        return b -> {
            int max = 0;
            for (int i = 0; i < fieldKindValue.length; i += 3) {
                max = Math.max(max, (Integer) fieldKindValue[i] + 1);
            }
            b.startTable(max);
            for (int i = 0; i < fieldKindValue.length; i += 3) {
                int f = (Integer) fieldKindValue[i];
                String kind = (String) fieldKindValue[i + 1];
                Object v = fieldKindValue[i + 2];
                switch (kind) {
                    case "byte": b.addByte(f, ((Integer) v).byteValue(), Byte.MIN_VALUE); break;
                    case "bool": b.addBoolean(f, (Boolean) v, !(Boolean) v); break;
                    case "float": b.addFloat(f, (Float) v, Double.NaN); break;
                    default: b.addInt(f, (Integer) v, Integer.MIN_VALUE); break;
                }
            }
            return b.endTable();
        };
    }

    byte[] build(int[] inputs, int[] outputs) {
        if (external.isEmpty()) {
            return buildOnce(inputs, outputs, 0);
        }
        // the offsets are fixed-size fields, so a second pass with the real base gives the same length
        int len = buildOnce(inputs, outputs, 1 << 20).length;
        int base = (len + 15) & ~15;
        byte[] fb = buildOnce(inputs, outputs, base);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(fb);
        out.writeBytes(new byte[base - fb.length]);
        for (int i = 0; i < tensors.size(); i++) {
            if (external.contains(i)) {
                byte[] d = tensors.get(i).data();
                out.writeBytes(d);
                out.writeBytes(new byte[((d.length + 15) & ~15) - d.length]);
            }
        }
        return out.toByteArray();
    }

    private byte[] buildOnce(int[] inputs, int[] outputs, int externalBase) {
        FlatBufferBuilder b = new FlatBufferBuilder(1024);
        long nextExternal = externalBase;
        // buffers: 0 is the empty sentinel
        List<Integer> bufferOffsets = new ArrayList<>();
        int[] tensorBuffer = new int[tensors.size()];
        b.startTable(1);
        bufferOffsets.add(b.endTable());
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec t = tensors.get(i);
            if (t.data() == null) {
                continue;
            }
            if (external.contains(i)) {
                b.startTable(3);
                b.addLong(1, nextExternal, -1L);
                b.addLong(2, t.data().length, -1L);
                nextExternal += (t.data().length + 15) & ~15;
            } else {
                int data = b.createByteVector(t.data());
                b.startTable(1);
                b.addOffset(0, data, 0);
            }
            bufferOffsets.add(b.endTable());
            tensorBuffer[i] = bufferOffsets.size() - 1;
        }
        int[] tensorOffsets = new int[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec t = tensors.get(i);
            int shape = intVector(b, t.shape());
            int sig = t.signature() == null ? 0 : intVector(b, t.signature());
            int sp = 0;
            if (sparse.contains(i)) {
                b.startTable(3);
                sp = b.endTable();
            }
            int name = b.createString(t.name());
            int quant = 0;
            if (t.scale() != null) {
                int sc;
                b.startVector(4, t.scale().length, 4);
                for (int k = t.scale().length - 1; k >= 0; k--) {
                    b.addFloat(t.scale()[k]);
                }
                sc = b.endVector();
                b.startVector(8, t.zp().length, 8);
                for (int k = t.zp().length - 1; k >= 0; k--) {
                    b.addLong(t.zp()[k]);
                }
                int zp = b.endVector();
                b.startTable(7);
                b.addOffset(2, sc, 0);
                b.addOffset(3, zp, 0);
                b.addInt(6, t.axis(), 0);
                quant = b.endTable();
            }
            b.startTable(8);
            b.addOffset(0, shape, 0);
            if (sig != 0) {
                b.addOffset(7, sig, 0);
            }
            if (sp != 0) {
                b.addOffset(6, sp, 0);
            }
            b.addByte(1, (byte) t.type(), 0);
            b.addInt(2, tensorBuffer[i], 0);
            b.addOffset(3, name, 0);
            if (quant != 0) {
                b.addOffset(4, quant, 0);
            }
            tensorOffsets[i] = b.endTable();
        }
        List<Integer> codes = new ArrayList<>();
        List<String> customs = new ArrayList<>();
        int[] opOffsets = new int[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            OpSpec o = ops.get(i);
            int idx = -1;
            for (int k = 0; k < codes.size(); k++) {
                if (codes.get(k) == o.code() && java.util.Objects.equals(customs.get(k), o.custom())) {
                    idx = k;
                }
            }
            if (idx < 0) {
                codes.add(o.code());
                customs.add(o.custom());
                idx = codes.size() - 1;
            }
            int ins = intVector(b, o.inputs());
            int outs = intVector(b, o.outputs());
            int opts = o.options() == null ? 0 : o.options().applyAsInt(b);
            b.startTable(5);
            b.addInt(0, idx, 0);
            b.addOffset(1, ins, 0);
            b.addOffset(2, outs, 0);
            if (opts != 0) {
                b.addByte(3, (byte) o.optionsType(), 0);
                b.addOffset(4, opts, 0);
            }
            opOffsets[i] = b.endTable();
        }
        int tv = tableVector(b, tensorOffsets);
        int iv = intVector(b, inputs);
        int ov = intVector(b, outputs);
        int opv = tableVector(b, opOffsets);
        b.startTable(5);
        b.addOffset(0, tv, 0);
        b.addOffset(1, iv, 0);
        b.addOffset(2, ov, 0);
        b.addOffset(3, opv, 0);
        int sg = b.endTable();
        int[] codeOffsets = new int[codes.size()];
        for (int k = 0; k < codes.size(); k++) {
            int cc = customs.get(k) == null ? 0 : b.createString(customs.get(k));
            b.startTable(4);
            int code = codes.get(k);
            b.addByte(0, (byte) Math.min(code, 127), 0);
            if (cc != 0) {
                b.addOffset(1, cc, 0);
            }
            b.addInt(2, 1, 0);
            if (!oldOpcodes) {
                b.addInt(3, code, -1);
            }
            codeOffsets[k] = b.endTable();
        }
        int cv = tableVector(b, codeOffsets);
        int sgv = tableVector(b, new int[] {sg});
        List<Integer> metaOffsets = new ArrayList<>();
        for (var m : metadata.entrySet()) {
            int data = b.createByteVector(m.getValue());
            b.startTable(1);
            b.addOffset(0, data, 0);
            bufferOffsets.add(b.endTable());
            int name = b.createString(m.getKey());
            b.startTable(2);
            b.addOffset(0, name, 0);
            b.addInt(1, bufferOffsets.size() - 1, 0);
            metaOffsets.add(b.endTable());
        }
        int mv = metaOffsets.isEmpty() ? 0 : tableVector(b, metaOffsets.stream().mapToInt(Integer::intValue).toArray());
        int bv = tableVector(b, bufferOffsets.stream().mapToInt(Integer::intValue).toArray());
        b.startTable(7);
        if (mv != 0) {
            b.addOffset(6, mv, 0);
        }
        b.addInt(0, 3, 0);
        b.addOffset(1, cv, 0);
        b.addOffset(2, sgv, 0);
        b.addOffset(4, bv, 0);
        int model = b.endTable();
        b.finish(model, "TFL3");
        return b.sizedByteArray();
    }

    private static int intVector(FlatBufferBuilder b, int[] v) {
        b.startVector(4, v.length, 4);
        for (int k = v.length - 1; k >= 0; k--) {
            b.addInt(v[k]);
        }
        return b.endVector();
    }

    private static int tableVector(FlatBufferBuilder b, int[] offsets) {
        b.startVector(4, offsets.length, 4);
        for (int k = offsets.length - 1; k >= 0; k--) {
            b.addOffset(offsets[k]);
        }
        return b.endVector();
    }
}
