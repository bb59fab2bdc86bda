package k210studio.kpu.kmodel.v4.runtime;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.NnilUnaryMethodBody;

/**
 * nnil_unary_method (kmodel-v4.md §6.20): a byte-code program run once per float element on a
 * 64-entry stack. Opcodes are one byte; only ldc.r4 (0x06) has an operand, an unaligned float32.
 * Errors the runtime throws (stack overflow/underflow, invalid op, truncated operand) become the
 * documented format error. Trailing alignment zeros decode as nop.
 */
final class NnilInterpreter {
    static final int STACK = 64;

    private NnilInterpreter() {
    }

    static void run(NnilUnaryMethodBody b, NodeContext ctx) throws KmodelFormatException {
        long count = b.input().size() / 4;
        ctx.need(b.output(), count * 4, "output");
        byte[] prog = b.program().toArray();
        ctx.charge(satWork(count, prog.length));
        byte[] pi = ctx.pool(b.input());
        byte[] po = ctx.pool(b.output());
        float[] stack = new float[STACK];
        for (long i = 0; i < count; i++) {
            float in = Le.f32(pi, b.input().start() + i * 4);
            int top = 0;
            int pc = 0;
            boolean ret = false;
            while (pc < prog.length && !ret) {
                int op = prog[pc++] & 0xFF;
                switch (op) {
                    case 0x00:
                        break;
                    case 0x01:
                        if (top == 0) {
                            throw ctx.fail("nnil dup on an empty stack at program byte " + (pc - 1));
                        }
                        top = push(ctx, stack, top, stack[top - 1], pc);
                        break;
                    case 0x02:
                        top = pop(ctx, top, pc);
                        break;
                    case 0x03:
                        top = push(ctx, stack, top, in, pc);
                        break;
                    case 0x04:
                        top = push(ctx, stack, top, 0f, pc);
                        break;
                    case 0x05:
                        top = push(ctx, stack, top, 1f, pc);
                        break;
                    case 0x06: {
                        if (pc + 4 > prog.length) {
                            throw ctx.fail("nnil ldc.r4 at program byte " + (pc - 1) + " lacks its 4-byte operand");
                        }
                        float v = Float.intBitsToFloat((prog[pc] & 0xFF) | (prog[pc + 1] & 0xFF) << 8
                                | (prog[pc + 2] & 0xFF) << 16 | (prog[pc + 3] & 0xFF) << 24);
                        pc += 4;
                        top = push(ctx, stack, top, v, pc);
                        break;
                    }
                    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24:
                    case 0x25: case 0x26: case 0x27: case 0x28: case 0x29: {
                        top = pop(ctx, top, pc);
                        float v = stack[top];
                        top = push(ctx, stack, top,
                                NeutralKernels.unaryOp(k210studio.kpu.kmodel.v4.body.UnaryOp.values()[op - 0x20], v), pc);
                        break;
                    }
                    case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: {
                        top = pop(ctx, top, pc);
                        float bv = stack[top];
                        top = pop(ctx, top, pc);
                        float av = stack[top];
                        float r;
                        switch (op) {
                            case 0x40: r = av + bv; break;
                            case 0x41: r = av - bv; break;
                            case 0x42: r = av * bv; break;
                            case 0x43: r = av / bv; break;
                            case 0x44: r = V4Arith.min(av, bv); break;
                            default: r = V4Arith.max(av, bv); break;
                        }
                        top = push(ctx, stack, top, r, pc);
                        break;
                    }
                    case 0x80: {
                        top = pop(ctx, top, pc);
                        float high = stack[top];
                        top = pop(ctx, top, pc);
                        float low = stack[top];
                        top = pop(ctx, top, pc);
                        float v = stack[top];
                        top = push(ctx, stack, top, V4Arith.clamp(v, low, high), pc);
                        break;
                    }
                    case 0xA0:
                        top = pop(ctx, top, pc);
                        Le.f32(po, b.output().start() + i * 4, stack[top]);
                        ret = true;
                        break;
                    default:
                        throw ctx.fail(String.format("invalid nnil op 0x%02X at program byte %d", op, pc - 1));
                }
            }
        }
    }

    private static long satWork(long count, long len) {
        return V4Arith.satMul(count, Math.max(1, len));
    }

    private static int push(NodeContext ctx, float[] stack, int top, float v, int pc) throws KmodelFormatException {
        if (top >= STACK) {
            throw ctx.fail("nnil stack overflow (64 entries) near program byte " + (pc - 1));
        }
        stack[top] = v;
        return top + 1;
    }

    private static int pop(NodeContext ctx, int top, int pc) throws KmodelFormatException {
        if (top == 0) {
            throw ctx.fail("nnil stack underflow near program byte " + (pc - 1));
        }
        return top - 1;
    }
}
