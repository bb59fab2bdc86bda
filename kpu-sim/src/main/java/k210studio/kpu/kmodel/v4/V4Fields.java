package k210studio.kpu.kmodel.v4;

import k210studio.kpu.kmodel.layout.ArrayField;
import k210studio.kpu.kmodel.layout.Field;
import k210studio.kpu.kmodel.layout.Fields;
import k210studio.kpu.kmodel.layout.RecordLayout;
import k210studio.kpu.kmodel.layout.Sizer;
import k210studio.kpu.kmodel.v4.body.BinaryOp;
import k210studio.kpu.kmodel.v4.body.Bytes;
import k210studio.kpu.kmodel.v4.body.DataType;
import k210studio.kpu.kmodel.v4.body.Floats;
import k210studio.kpu.kmodel.v4.body.Ints;
import k210studio.kpu.kmodel.v4.body.Longs;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.MemoryType;
import k210studio.kpu.kmodel.v4.body.Padding;
import k210studio.kpu.kmodel.v4.body.QuantParam;
import k210studio.kpu.kmodel.v4.body.ReduceOp;
import k210studio.kpu.kmodel.v4.body.ResizeMode;
import k210studio.kpu.kmodel.v4.body.Scalar;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.UnaryOp;
import k210studio.kpu.kmodel.v4.body.ValueRange;

/** The V4 value types (kmodel-v4.md §4) declared as layouts, and the field kinds the body table is written in. */
final class V4Fields {
    private V4Fields() {
    }

    static final RecordLayout<MemoryRange> MEMORY_RANGE = RecordLayout.of(MemoryRange.class,
            Fields.enumU32(".memory_type", MemoryType.class, MemoryType::ofCode, MemoryType::code,
                    "V4 knows 0 (const), 1 (main), 2 (k210_kpu)"),
            Fields.enumU32(".datatype", DataType.class, DataType::ofCode, DataType::code,
                    "V4 knows 0 (float32), 1 (uint8)").as("dataType"),
            Fields.u32(".start"), Fields.u32(".size"));

    static final RecordLayout<Shape4> SHAPE = RecordLayout.of(Shape4.class, Fields.i32("[0]").as("d0"),
            Fields.i32("[1]").as("d1"), Fields.i32("[2]").as("d2"), Fields.i32("[3]").as("d3"));

    static final RecordLayout<Padding> PADDING = RecordLayout.of(Padding.class, Fields.i32(".before"),
            Fields.i32(".after"));

    static final RecordLayout<ValueRange> VALUE_RANGE = RecordLayout.of(ValueRange.class, Fields.f32(".min"),
            Fields.f32(".max"));

    static final RecordLayout<QuantParam> QUANT_PARAM = RecordLayout.of(QuantParam.class, Fields.i32(".zero_point"),
            Fields.f32(".scale"));

    static final RecordLayout<Scalar> SCALAR = RecordLayout.of(Scalar.class, Fields.i32(".datatype").as("dataTypeCode"),
            Fields.i32(".value").as("rawBits"));

    /** A memory range the op reads. */
    static Field<MemoryRange> in(String name) {
        return Fields.struct(name, MEMORY_RANGE).input();
    }

    /** A memory range the op writes. */
    static Field<MemoryRange> out(String name) {
        return Fields.struct(name, MEMORY_RANGE).output();
    }

    static Field<Shape4> shape(String name) {
        return Fields.struct(name, SHAPE);
    }

    static Field<Padding> padding(String name) {
        return Fields.struct(name, PADDING);
    }

    static Field<ValueRange> valueRange(String name) {
        return Fields.struct(name, VALUE_RANGE);
    }

    static Field<QuantParam> quantParam(String name) {
        return Fields.struct(name, QUANT_PARAM);
    }

    static Field<Scalar> scalar(String name) {
        return Fields.struct(name, SCALAR);
    }

    static Field<BinaryOp> binaryOp(String name) {
        return Fields.enumU32(name, BinaryOp.class, BinaryOp::ofCode, BinaryOp::code,
                "binary_op_t is 0..5 (add, sub, mul, div, min, max)").as("op");
    }

    static Field<UnaryOp> unaryOp(String name) {
        return Fields.enumU32(name, UnaryOp.class, UnaryOp::ofCode, UnaryOp::code,
                "unary_op_t is 0..9 (abs .. square)").as("op");
    }

    static Field<ReduceOp> reduceOp(String name) {
        return Fields.enumU32(name, ReduceOp.class, ReduceOp::ofCode, ReduceOp::code,
                "reduce_op_t is 0..3 (mean, min, max, sum)").as("op");
    }

    static Field<ResizeMode> resizeMode(String name) {
        return Fields.enumU32(name, ResizeMode.class, ResizeMode::ofCode, ResizeMode::code,
                "image_resize_mode_t is 0 (bilinear) or 1 (nearest_neighbor)");
    }

    static ArrayField<Floats> floats(String name, Sizer count) {
        return Fields.f32s(name, count).map(Floats.class, Floats::of, Floats::toArray);
    }

    static ArrayField<Ints> ints(String name, Sizer count) {
        return Fields.i32s(name, count).map(Ints.class, Ints::of, Ints::toArray);
    }

    static ArrayField<Bytes> bytes(String name, Sizer count) {
        return Fields.u8s(name, count).map(Bytes.class, Bytes::of, Bytes::toArray);
    }

    static ArrayField<Longs> longs(String name, Sizer count) {
        return Fields.u64s(name, count).map(Longs.class, Longs::of, Longs::toArray);
    }

    /** The rest of the body span as bytes. */
    static ArrayField<Bytes> rest(String name) {
        return Fields.rest(name).map(Bytes.class, Bytes::of, Bytes::toArray);
    }
}
