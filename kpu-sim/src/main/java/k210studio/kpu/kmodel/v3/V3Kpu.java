package k210studio.kpu.kmodel.v3;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import k210studio.kpu.chip.Kpu;
import k210studio.kpu.chip.KpuConvData;
import k210studio.kpu.chip.KpuLayerArgument;
import k210studio.kpu.chip.KpuLayerResult;
import k210studio.kpu.chip.KpuRam;
import k210studio.kpu.chip.KpuRowLayout;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.KpuRules;

/**
 * The KPU side of a V3 run: the 2 MiB KPU RAM, the uploads the SDK does (input image, K210_UPLOAD,
 * K210_ADD_PADDING), K210_CONV on the simulated chip, and the bookkeeping of which KPU RAM regions
 * hold live feature maps (for {@code LayerTrace.kpuRamBytes}).
 */
final class V3Kpu {
    private final KpuRam ram = new KpuRam();
    private final Kpu chip = new Kpu();
    /** Per-body prepared tables (the chip caches weight sums and re-ordered weights inside them). */
    private final java.util.IdentityHashMap<K210ConvBody, KpuConvData> tables = new java.util.IdentityHashMap<>();
    private final java.util.IdentityHashMap<K210ConvBody, KpuLayerArgument> arguments =
            new java.util.IdentityHashMap<>();
    private final boolean eightBit;
    private final KpuRules rules;
    /** Live regions: {start byte, end byte}. */
    private final List<long[]> live = new ArrayList<>();

    V3Kpu(boolean eightBit, KpuRules rules) {
        this.eightBit = eightBit;
        this.rules = rules;
    }

    KpuRam ram() {
        return ram;
    }

    boolean eightBit() {
        return eightBit;
    }

    KpuRules rules() {
        return rules;
    }

    long occupiedBytes() {
        long s = 0;
        for (long[] r : live) {
            s += r[1] - r[0];
        }
        return s;
    }

    private void occupy(long start, long end) {
        for (Iterator<long[]> it = live.iterator(); it.hasNext();) {
            long[] r = it.next();
            if (r[0] < end && start < r[1]) {
                it.remove();
            }
        }
        live.add(new long[] {start, end});
    }

    private void release(long start, long end) {
        live.removeIf(r -> r[0] == start && r[1] == end);
    }

    private static long footprint(int w, int h, int c) {
        return KpuRowLayout.forWidth(w).bytes(h, c);
    }

    /** Uploads the model input (planar u8 C,H,W) to the first conv's input map (kpu.c input copy / DMA). */
    void uploadInput(K210ConvBody c, byte[] src, int offset) throws KmodelFormatException {
        int line = c.inputLine();
        try {
            ram.upload(line, src, offset, c.inChannels(), c.inHeight(), c.inWidth());
        } catch (KmodelFormatException e) {
            throw new KmodelFormatException("layer 0 (K210_CONV) input upload: " + e.getMessage());
        }
        long start = (long) line * KpuRam.LINE_BYTES;
        occupy(start, start + footprint(c.inWidth(), c.inHeight(), c.inChannels()));
    }

    /** K210_UPLOAD: compact CHW from main memory into the row layout at kpu_out. */
    void upload(V3Runtime rt, int i, K210UploadBody u, byte[] main) throws KmodelFormatException {
        if (u.width() < 1 || u.width() > 1024 || u.height() < 1 || u.height() > 512 || u.channels() < 1
                || u.channels() > 1024) {
            throw rt.error(i, 12, "width/height/channels", u.width() + "x" + u.height() + "x" + u.channels()
                    + " is not a KPU feature map (width 1..1024, height 1..512, channels 1..1024)");
        }
        if (u.kpuOut() >= KpuRam.LINES) {
            throw rt.error(i, 8, "kpu_out", "line " + u.kpuOut() + " is outside KPU RAM (0..32767)");
        }
        int w = (int) u.width();
        int h = (int) u.height();
        int ch = (int) u.channels();
        try {
            ram.upload((int) u.kpuOut(), main, (int) u.in(), ch, h, w);
        } catch (KmodelFormatException e) {
            throw rt.error(i, 8, "kpu_out", e.getMessage());
        }
        long start = u.kpuOut() * KpuRam.LINE_BYTES;
        occupy(start, start + footprint(w, h, ch));
    }

    /** K210_ADD_PADDING: channel c to byte kpu_out·64 + (c/4)·256 + (c%4)·16 (pixel (0,0) of a 4x4 map). */
    void addPadding(V3Runtime rt, int i, K210AddPaddingBody a, byte[] main) throws KmodelFormatException {
        long ch = a.channels();
        long base = a.kpuOut() * KpuRam.LINE_BYTES;
        long end = ch == 0 ? base : base + ((ch - 1) / 4) * 256 + ((ch - 1) % 4) * 16 + 1;
        if (a.kpuOut() >= KpuRam.LINES || end > KpuRam.SIZE) {
            throw rt.error(i, 8, "kpu_out", "a 4x4x" + ch + " map at line " + a.kpuOut()
                    + " does not fit in the 2 MiB KPU RAM");
        }
        byte[] mem = ram.bytes();
        for (long c = 0; c < ch; c++) {
            mem[(int) (base + (c / 4) * 256 + (c % 4) * 16)] = main[(int) (a.in() + c)];
        }
        long fp = ch == 0 ? 0 : (ch + 3) / 4 * 256;
        occupy(base, Math.min(KpuRam.SIZE, base + fp));
    }

    /** Validates a conv's KPU-RAM maps before it runs. */
    void checkConv(V3Runtime rt, int i, K210ConvBody c, long bodyOffset) throws KmodelFormatException {
        try {
            KpuRam.checkMap("input map", c.inputLine(), c.inChannels(), c.inHeight(), c.inWidth(), 1);
            KpuRam.checkMap("output map", c.outputLine(), c.outChannels(), c.outHeight(), c.outWidth(), 1);
        } catch (KmodelFormatException e) {
            throw rt.error(i, 8, "layer_argument", e.getMessage());
        }
    }

    private KpuConvData tables(K210ConvBody c) {
        KpuConvData d = tables.get(c);
        if (d == null) {
            if (eightBit) {
                d = KpuConvData.eightBit(c.weightsRef(), c.batchNormRef(), c.activationRef());
            } else {
                byte[] b = c.weightsRef();
                short[] w = new short[b.length / 2];
                for (int i = 0; i < w.length; i++) {
                    w[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] & 0xFF) << 8);
                }
                d = KpuConvData.sixteenBit(w, c.batchNormRef(), c.activationRef());
            }
            tables.put(c, d);
        }
        return d;
    }

    private KpuLayerArgument argument(K210ConvBody c) {
        KpuLayerArgument a = arguments.get(c);
        if (a == null) {
            a = KpuLayerArgument.fromWords(c.layerArgumentRef());
            arguments.put(c, a);
        }
        return a;
    }

    /**
     * Runs a conv on the chip (output map to KPU RAM; with MAIN_MEM_OUT also the dense CHW copy to
     * main memory, as the SDK's DMA from fifo_data_out does); returns the estimated KPU cycles.
     */
    long runConv(V3Runtime rt, int i, K210ConvBody c, byte[] main) throws KmodelFormatException {
        KpuLayerResult r;
        try {
            r = chip.runLayer(ram, argument(c), tables(c), rules);
            if (c.mainMemoryOutput()) {
                r.copyTo(main, c.mainMemOutAddress());
            }
        } catch (KmodelFormatException e) {
            throw rt.error(i, 8, "layer_argument", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw rt.error(i, 8, "layer_argument", "cannot be run: " + e.getMessage());
        }
        markConv(c);
        return r.estimatedCycles();
    }

    /** The conv's output map as a dense u8 [C,H,W] tensor. */
    KmodelTensor snapshotOutput(K210ConvBody c) {
        return download(c.outputLine(), c.outWidth(), c.outHeight(), c.outChannels());
    }

    /** A dense copy of a KPU RAM map, or null when it does not fit. */
    KmodelTensor download(int line, int w, int h, int ch) {
        try {
            return KmodelTensor.ofUint8(new int[] {ch, h, w}, ram.download(line, ch, h, w));
        } catch (KmodelFormatException | IllegalArgumentException e) {
            return null;
        }
    }

    void markConv(K210ConvBody c) {
        long in = (long) c.inputLine() * KpuRam.LINE_BYTES;
        release(in, in + footprint(c.inWidth(), c.inHeight(), c.inChannels()));
        long out = (long) c.outputLine() * KpuRam.LINE_BYTES;
        occupy(out, out + footprint(c.outWidth(), c.outHeight(), c.outChannels()));
    }
}
