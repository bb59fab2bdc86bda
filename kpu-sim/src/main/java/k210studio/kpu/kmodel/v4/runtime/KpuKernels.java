package k210studio.kpu.kmodel.v4.runtime;

import static k210studio.kpu.kmodel.v4.runtime.V4Arith.satMul;

import k210studio.kpu.chip.Kpu;
import k210studio.kpu.chip.KpuException;
import k210studio.kpu.chip.KpuLayerArgument;
import k210studio.kpu.chip.KpuLayerResult;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;
import k210studio.kpu.kmodel.v4.body.KpuUploadBody;
import k210studio.kpu.kmodel.v4.body.MemoryType;
import k210studio.kpu.kmodel.v4.body.Shape4;

/**
 * The K210 ops of the V4 runtime (kmodel-v4.md §7): kpu_upload (dense uint8 NCHW into the KPU RAM
 * row layout of §7.3, any byte address) and kpu_conv2d (register checks here, arithmetic on the
 * chip's {@link Kpu} with the run's rule set; the nncase v0.2.0-beta4 runtime's sequence: all
 * batches from image_src_addr, write-back at image_dst_addr, then the dense main-memory copy).
 */
final class KpuKernels {
    private KpuKernels() {
    }

    /** Dense NCHW uint8 bytes at src into KPU RAM at byte address dst with the layout of shape's width. */
    static void upload(byte[] src, long srcStart, byte[] kpu, long dst, int n, int c, int h, int w) {
        copyRows(src, srcStart, kpu, dst, n, c, h, w, true);
    }

    /** KPU RAM map at byte address src into dense NCHW bytes. */
    static void download(byte[] kpu, long src, byte[] dst, long dstStart, int n, int c, int h, int w) {
        copyRows(dst, dstStart, kpu, src, n, c, h, w, false);
    }

    /** Row by row between dense NCHW bytes and a KPU RAM map at byte address kpuAddr, towards the KPU or from it. */
    private static void copyRows(byte[] dense, long denseStart, byte[] kpu, long kpuAddr, int n, int c, int h, int w,
            boolean toKpu) {
        if (w % 64 == 0) {
            if (toKpu) {
                System.arraycopy(dense, (int) denseStart, kpu, (int) kpuAddr, n * c * h * w);
            } else {
                System.arraycopy(kpu, (int) kpuAddr, dense, (int) denseStart, n * c * h * w);
            }
            return;
        }
        KpuLayout layout = KpuLayout.forWidth(w);
        long fmap = layout.bytes(h, c);
        long d = denseStart;
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                long origin = kpuAddr + b * fmap + layout.channelOrigin(ch, h);
                for (int y = 0; y < h; y++) {
                    int row = (int) (origin + (long) y * layout.rowLen() * 64);
                    if (toKpu) {
                        System.arraycopy(dense, (int) d, kpu, row, w);
                    } else {
                        System.arraycopy(kpu, row, dense, (int) d, w);
                    }
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

    /**
     * Runs a kpu_conv2d node on the chip's KPU ({@link Kpu}, bit-exact to nncase's emulators under the
     * run's rule set, BETA4 by default for V4): all batches, write-back to KPU RAM, then the dense
     * copy to main_mem_output when its size is not 0 (the runtime's CPU copy).
     */
    static KpuLayerResult kpuConv2d(KpuConv2dBody b, NodeContext ctx, KpuSupport kpu) throws KmodelFormatException {
        Geometry g = geometry(b, ctx);
        long outDense = satMul(g.batches(), g.outC(), g.outH(), g.outW());
        if (b.hasMainMemOutput()) {
            ctx.need(b.mainMemOutput(), outDense, "main_mem_output");
        }
        ctx.charge(g.macs() + outDense);
        KpuLayerResult r;
        try {
            r = kpu.kpu().runLayer(kpu.ram(), KpuLayerArgument.fromWords(b.layer().toArray()), kpu.data(ctx.index, b),
                    kpu.rules(), b.batches());
        } catch (KpuException e) {
            throw ctx.fail(e.getMessage());
        }
        if (b.hasMainMemOutput()) {
            System.arraycopy(r.output(), 0, ctx.pool(b.mainMemOutput()), (int) b.mainMemOutput().start(), r.size());
        }
        return r;
    }
}
