package k210studio.kpu.kmodel.v4.runtime;

import static k210studio.kpu.kmodel.v4.runtime.V4Arith.satMul;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.KpuUploadBody;
import k210studio.kpu.kmodel.v4.body.MemoryType;
import k210studio.kpu.kmodel.v4.body.Shape4;

/**
 * The K210 ops of the V4 runtime (kmodel-v4.md §7): kpu_upload (dense uint8 NCHW into the KPU RAM
 * row layout of §7.3) and kpu_conv2d as the nncase v0.2.0-beta4 runtime computes it (the BETA4
 * rules: src/runtime/k210/k210_ops.cpp + kernels/k210/k210_kernels.h): per batch, conv with the
 * 3x3 border filled by pad_value, acc + (arg_x*Σx >> shr_x) + (arg_w*Σw >> shr_w) + arg_add*g_ic,
 * BN (acc*mul >> shift) + add, the highest activation segment with y > x_start, banker's-rounded
 * shift (the emulator's carry_shift&lt;int64,true&gt;), clamp to 0..255, then pooling; the output
 * is written back to KPU RAM and, when main_mem_output.size != 0, densely to main memory.
 */
final class KpuKernels {
    private KpuKernels() {
    }

    /** Dense NCHW uint8 bytes at src into KPU RAM at byte address dst with the layout of shape's width. */
    static void upload(byte[] src, long srcStart, byte[] kpu, long dst, int n, int c, int h, int w) {
        if (w % 64 == 0) {
            System.arraycopy(src, (int) srcStart, kpu, (int) dst, n * c * h * w);
            return;
        }
        KpuLayout layout = KpuLayout.forWidth(w);
        long fmap = layout.bytes(h, c);
        long s = srcStart;
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                long origin = dst + b * fmap + layout.channelOrigin(ch, h);
                for (int y = 0; y < h; y++) {
                    System.arraycopy(src, (int) s, kpu, (int) (origin + (long) y * layout.rowLen() * 64), w);
                    s += w;
                }
            }
        }
    }

    /** KPU RAM map at byte address src into dense NCHW bytes. */
    static void download(byte[] kpu, long src, byte[] dst, long dstStart, int n, int c, int h, int w) {
        if (w % 64 == 0) {
            System.arraycopy(kpu, (int) src, dst, (int) dstStart, n * c * h * w);
            return;
        }
        KpuLayout layout = KpuLayout.forWidth(w);
        long fmap = layout.bytes(h, c);
        long d = dstStart;
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                long origin = src + b * fmap + layout.channelOrigin(ch, h);
                for (int y = 0; y < h; y++) {
                    System.arraycopy(kpu, (int) (origin + (long) y * layout.rowLen() * 64), dst, (int) d, w);
                    d += w;
                }
            }
        }
    }

    /** KPU RAM bytes of an N x C x H x W map (§7.3). */
    static long kpuBytes(int n, int c, int h, int w) {
        return KpuLayout.forWidth(w).bytes(h, c) * n;
    }

    static void kpuUpload(KpuUploadBody b, NodeContext ctx) throws KmodelFormatException {
        Shape4 s = b.inShape();
        long count = ctx.count(s, "in_shape");
        if (b.output().memoryType() != MemoryType.KPU) {
            throw ctx.fail("output " + b.output() + " must be in KPU RAM");
        }
        ctx.need(b.input(), count, "input");
        if (count == 0) {
            return;
        }
        long bytes = kpuBytes(s.d0(), s.d1(), s.d2(), s.d3());
        if (b.output().start() + bytes > V4PoolsSize.KPU) {
            throw ctx.fail("the " + s + " map at KPU 0x" + Long.toHexString(b.output().start()) + " needs " + bytes
                    + " bytes and runs past the 2 MiB KPU RAM");
        }
        ctx.charge(count);
        upload(ctx.pool(b.input()), b.input().start(), ctx.pools.kpu(), b.output().start(), s.d0(), s.d1(), s.d2(),
                s.d3());
    }

    /** Geometry of a kpu_conv2d node read from its registers, validated. */
    record Geometry(int batches, int inC, int inH, int inW, int outC, int outH, int outW, boolean depthwise,
            int filter, int poolType, long src, long dst) {
        long macs() {
            long perPixel = depthwise ? (long) filter * filter : (long) inC * filter * filter;
            return satMul(batches, outC, inH, inW, perPixel);
        }
    }

    static Geometry geometry(KpuConv2dBody b, NodeContext ctx) throws KmodelFormatException {
        long size = b.register(KpuConv2dBody.REG_IMAGE_SIZE);
        long chan = b.register(KpuConv2dBody.REG_IMAGE_CHANNEL_NUM);
        long addr = b.register(KpuConv2dBody.REG_IMAGE_ADDR);
        long pool = b.register(KpuConv2dBody.REG_KERNEL_POOL_TYPE_CFG);
        int inW = (int) (size & 0x3FF) + 1;
        int inH = (int) ((size >>> 10) & 0x1FF) + 1;
        int outW = (int) ((size >>> 32) & 0x3FF) + 1;
        int outH = (int) ((size >>> 42) & 0x1FF) + 1;
        int inC = (int) (chan & 0x3FF) + 1;
        int outC = (int) ((chan >>> 32) & 0x3FF) + 1;
        int kernelType = (int) (pool & 0x7);
        int poolType = (int) ((pool >>> 4) & 0xF);
        if (kernelType > 1) {
            throw ctx.fail("kernel_type " + kernelType + " is not 0 (1x1) or 1 (3x3) (\"Invalid kpu filter\")");
        }
        if (poolType > 9) {
            throw ctx.fail("pool_type " + poolType + " is not a KPU pooling mode (0..9)");
        }
        int stride = poolStride(poolType);
        if (outH != inH / stride || outW != inW / stride) {
            throw ctx.fail("output size " + outW + "x" + outH + " in image_size does not match the input " + inW + "x"
                    + inH + " after pool_type " + poolType + " (expected " + inW / stride + "x" + inH / stride + ")");
        }
        if (b.batches() < 1) {
            throw ctx.fail("batches is " + b.batches() + "; at least 1 is needed");
        }
        boolean dw = b.depthwise();
        if (dw && inC < outC) {
            throw ctx.fail("depthwise conv with " + inC + " input channels cannot make " + outC + " outputs");
        }
        long src = (addr & 0x7FFF) * 64;
        long dst = ((addr >>> 32) & 0x7FFF) * 64;
        Geometry g = new Geometry(b.batches(), inC, inH, inW, outC, outH, outW, dw, kernelType == 1 ? 3 : 1, poolType,
                src, dst);
        long inBytes = satMul(kpuBytes(1, inC, inH, inW), b.batches());
        long outBytes = satMul(kpuBytes(1, outC, outH, outW), b.batches());
        if (src + inBytes > V4PoolsSize.KPU) {
            throw ctx.fail("input map " + b.batches() + "x" + inC + "x" + inH + "x" + inW + " at KPU 0x"
                    + Long.toHexString(src) + " runs past the 2 MiB KPU RAM");
        }
        if (dst + outBytes > V4PoolsSize.KPU) {
            throw ctx.fail("output map " + b.batches() + "x" + outC + "x" + outH + "x" + outW + " at KPU 0x"
                    + Long.toHexString(dst) + " runs past the 2 MiB KPU RAM");
        }
        return g;
    }

    static int poolStride(int poolType) {
        switch (poolType) {
            case 1: case 2: case 5: case 6: return 2;
            case 3: case 4: case 7: return 4;
            default: return 1;
        }
    }

    private static int poolFilter(int poolType) {
        switch (poolType) {
            case 0: return 1;
            case 3: case 4: case 7: return 4;
            default: return 2;
        }
    }

    private static long signed(long v, int bits) {
        return (v << (64 - bits)) >> (64 - bits);
    }

    /** carry_shift&lt;int64_t, true&gt; of the beta4 emulator (round half to even, with its sign handling). */
    static long bankerShift(long value, int shiftByte) {
        int s = shiftByte & 0xFF;
        if (s == 0) {
            return value;
        }
        if (s >= 64) {
            return value < 0 ? -1 : 0;
        }
        long integral = value >> s;
        long fractional = value & ((1L << s) - 1);
        long sign = value < 0 ? -1 : 1;
        long half = 1L << (s - 1);
        if (fractional < half) {
            return integral;
        } else if (fractional > half) {
            return integral + sign;
        } else {
            return (integral & 1) != 0 ? integral + sign : integral;
        }
    }

    static void kpuConv2d(KpuConv2dBody b, NodeContext ctx) throws KmodelFormatException {
        Geometry g = geometry(b, ctx);
        long outDense = satMul(g.batches(), g.outC(), g.outH(), g.outW());
        if (b.hasMainMemOutput()) {
            ctx.need(b.mainMemOutput(), outDense, "main_mem_output");
        }
        ctx.charge(g.macs() + outDense);
        int n = g.batches(), inC = g.inC(), inH = g.inH(), inW = g.inW(), outC = g.outC();
        int f = g.filter();
        int pad = f == 1 ? 0 : 1;
        byte[] kpu = ctx.pools.kpu();
        int inPerBatch = inC * inH * inW;
        byte[] input = new byte[n * inPerBatch];
        download(kpu, g.src(), input, 0, n, inC, inH, inW);

        long conv = b.register(KpuConv2dBody.REG_CONV_VALUE);
        int shrW = (int) (conv & 0xF);
        int shrX = (int) ((conv >>> 4) & 0xF);
        long argW = signed((conv >>> 8) & 0xFFFFFF, 24);
        long argX = signed((conv >>> 32) & 0xFFFFFF, 24);
        long argAdd = signed(b.register(KpuConv2dBody.REG_CONV_VALUE2) & 0xFF_FFFF_FFFFL, 40);
        int padValue = (int) ((b.register(KpuConv2dBody.REG_KERNEL_POOL_TYPE_CFG) >>> 24) & 0xFF);

        long[] bnMul = new long[outC];
        int[] bnShift = new int[outC];
        long[] bnAdd = new long[outC];
        for (int i = 0; i < outC; i++) {
            long e = b.bnTable().get(i);
            bnMul[i] = signed(e & 0xFFFFFF, 24);
            bnAdd[i] = signed((e >>> 24) & 0xFFFF_FFFFL, 32);
            bnShift[i] = (int) ((e >>> 56) & 0xF);
        }
        byte[] actTable = b.activationTable().toArray();
        long[] segStart = new long[16];
        long[] segMul = new long[16];
        int[] segShift = new int[16];
        int[] segAdd = new int[16];
        for (int i = 0; i < 16; i++) {
            long p = 0;
            for (int k = 7; k >= 0; k--) {
                p = (p << 8) | (actTable[i * 8 + k] & 0xFF);
            }
            segShift[i] = (int) (p & 0xFF);
            segMul[i] = signed((p >>> 8) & 0xFFFF, 16);
            segStart[i] = signed((p >>> 24) & 0xF_FFFF_FFFFL, 36);
            // result_bias[i] for i in 0..15 indexes past the first 8-byte group into the second,
            // which is where segments 8..15 keep theirs
            segAdd[i] = actTable[128 + i] & 0xFF;
        }
        byte[] w = b.weights().toArray();
        int groups = g.depthwise() ? outC : 1;
        int gIc = g.depthwise() ? 1 : inC;
        int gOc = g.depthwise() ? 1 : outC;
        int plane = inH * inW;
        int outPerBatch = outC * g.outH() * g.outW();
        byte[] output = new byte[n * outPerBatch];
        byte[] convOut = new byte[outC * plane];
        long[] work = new long[plane];
        for (int batch = 0; batch < n; batch++) {
            int inBase = batch * inPerBatch;
            for (int og = 0; og < groups; og++) {
                int wGroup = og * gOc * gIc * f * f;
                for (int oc = 0; oc < gOc; oc++) {
                    int wOc = wGroup + oc * gIc * f * f;
                    int ch = og * gOc + oc;
                    for (int oy = 0; oy < inH; oy++) {
                        for (int ox = 0; ox < inW; ox++) {
                            long value = 0;
                            long sumX = 0;
                            long sumW = 0;
                            for (int ic = 0; ic < gIc; ic++) {
                                int inC0 = inBase + (og * gIc + ic) * plane;
                                int wIc = wOc + ic * f * f;
                                for (int ky = 0; ky < f; ky++) {
                                    int iy = oy - pad + ky;
                                    for (int kx = 0; kx < f; kx++) {
                                        int ix = ox - pad + kx;
                                        int x = iy < 0 || iy >= inH || ix < 0 || ix >= inW ? padValue
                                                : input[inC0 + iy * inW + ix] & 0xFF;
                                        int wv = w[wIc + ky * f + kx] & 0xFF;
                                        sumX += x;
                                        sumW += wv;
                                        value += x * wv;
                                    }
                                }
                            }
                            work[oy * inW + ox] = value + ((argX * sumX) >> shrX) + ((argW * sumW) >> shrW) + argAdd * gIc;
                        }
                    }
                    for (int i = 0; i < plane; i++) {
                        long y = ((work[i] * bnMul[ch]) >> bnShift[ch]) + bnAdd[ch];
                        int seg = 0; // no segment below y would be undefined in the emulator; ncc's segment 0 starts at -2^35
                        for (int s = 15; s >= 0; s--) {
                            if (y > segStart[s]) {
                                seg = s;
                                break;
                            }
                        }
                        long z = bankerShift((y - segStart[seg]) * segMul[seg], segShift[seg]) + segAdd[seg];
                        convOut[ch * plane + i] = (byte) Math.max(0, Math.min(255, z));
                    }
                }
            }
            pool(convOut, output, batch * outPerBatch, inH, inW, outC, g.poolType());
        }
        upload(output, 0, kpu, g.dst(), n, outC, g.outH(), g.outW());
        if (b.hasMainMemOutput()) {
            System.arraycopy(output, 0, ctx.pool(b.mainMemOutput()), (int) b.mainMemOutput().start(), output.length);
        }
    }

    /** kpu_pool2d of the beta4 emulator on one batch. */
    static void pool(byte[] in, byte[] out, int outStart, int inH, int inW, int channels, int poolType) {
        int filter = poolFilter(poolType);
        int stride = poolStride(poolType);
        int outH = inH / stride;
        int outW = inW / stride;
        int o = outStart;
        for (int c = 0; c < channels; c++) {
            int base = c * inH * inW;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int y0 = oy * stride;
                    int x0 = ox * stride;
                    int value = 0;
                    switch (poolType) {
                        case 0:
                            value = in[base + y0 * inW + x0] & 0xFF;
                            break;
                        case 1: case 3: case 9:
                            for (int ky = 0; ky < filter; ky++) {
                                for (int kx = 0; kx < filter; kx++) {
                                    int y = y0 + ky;
                                    int x = x0 + kx;
                                    int v = y < 0 || y >= inH || x < 0 || x >= inW ? 0 : in[base + y * inW + x] & 0xFF;
                                    value = Math.max(value, v);
                                }
                            }
                            break;
                        case 2: case 4: case 8:
                            for (int ky = 0; ky < filter; ky++) {
                                for (int kx = 0; kx < filter; kx++) {
                                    int y = Math.max(0, Math.min(inH - 1, y0 + ky));
                                    int x = Math.max(0, Math.min(inW - 1, x0 + kx));
                                    value += in[base + y * inW + x] & 0xFF;
                                }
                            }
                            value /= filter * filter;
                            break;
                        default: { // 5, 7 left-top (0,0); 6 right-top (0,1)
                            int y = y0;
                            int x = x0 + (poolType == 6 ? 1 : 0);
                            value = y < 0 || y >= inH || x < 0 || x >= inW ? 0 : in[base + y * inW + x] & 0xFF;
                            break;
                        }
                    }
                    out[o++] = (byte) value;
                }
            }
        }
    }
}
