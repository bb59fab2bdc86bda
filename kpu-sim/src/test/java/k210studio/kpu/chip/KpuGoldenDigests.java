package k210studio.kpu.chip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import k210studio.kpu.kmodel.KpuRules;

/**
 * Digests of what the KPU computes for every conv layer of every kmodel fixture (V3 and V4), each
 * run as stored (8-bit weights) and as a 16-bit variant ({@link #sixteenBit}), under both rule
 * sets, on a deterministic pseudo-random input map. {@code KpuGoldenTest} compares them with
 * {@code src/test/resources/golden/kpu-fixture-layers.txt}, which {@link #main} wrote with the
 * kernel of commit 489204d (before the GEMM kernel), so any changed output byte of any fixture
 * layer fails the test.
 *
 * <p>Usage (regenerate only when the KPU arithmetic is meant to change):
 * {@code java -cp ... k210studio.kpu.chip.KpuGoldenDigests kpu-sim/src/test/resources/golden/kpu-fixture-layers.txt}.
 */
public final class KpuGoldenDigests {
    /** Resource holding the expected lines. */
    static final String RESOURCE = "/golden/kpu-fixture-layers.txt";

    private KpuGoldenDigests() {
    }

    /** One case: a fixture layer in one weight mode under one rule set. */
    record Case(ChipFixtures.ConvLayer conv, boolean sixteen, KpuRules rules) {
        String key() {
            return conv.file() + " " + conv.index() + " " + (sixteen ? "u16" : "u8") + " " + rules;
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        List<ChipFixtures.ConvLayer> all = new ArrayList<>();
        for (String f : ChipFixtures.V3) {
            all.addAll(ChipFixtures.v3Convs(f, ChipFixtures.bytes(f)));
        }
        for (String f : ChipFixtures.V4) {
            all.addAll(ChipFixtures.v4Convs(f, ChipFixtures.bytes(f)));
        }
        for (ChipFixtures.ConvLayer c : all) {
            for (boolean sixteen : new boolean[] {false, true}) {
                for (KpuRules rules : new KpuRules[] {KpuRules.RC5, KpuRules.BETA4}) {
                    out.add(new Case(c, sixteen, rules));
                }
            }
        }
        return out;
    }

    /**
     * The 16-bit variant of a fixture layer's tables: weight w becomes w·256 + 128 + δ (δ pseudo-random
     * in −64..63, so both weight bytes vary) and each BN multiplier is divided by 256 (at least ±1);
     * {@link #sixteenBitRegisters} moves the weight zero point accordingly, so outputs keep a spread
     * instead of saturating.
     */
    static KpuConvData sixteenBit(KpuConvData d, long seed) {
        Random r = new Random(seed);
        short[] w = new short[d.weightCount()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (short) Math.min(65535, d.weight(i) * 256 + 128 + r.nextInt(128) - 64);
        }
        long[] bn = new long[d.bnCount()];
        for (int o = 0; o < bn.length; o++) {
            KpuBatchNorm b = d.bn(o);
            int mul = b.mul() / 256;
            if (mul == 0) {
                mul = b.mul() < 0 ? -1 : 1;
            }
            bn[o] = new KpuBatchNorm(mul, b.shift(), b.add()).toWord();
        }
        return KpuConvData.sixteenBit(w, bn, d.activation());
    }

    /**
     * The registers of the 16-bit variant: the weight zero point z_w (arg_x = −z_w·2^shr_x) becomes
     * z_w·256 + 128, written V4-style (shr_x = 0) with arg_add = k²·z_w'·z_x.
     */
    static KpuLayerArgument sixteenBitRegisters(KpuLayerArgument l) {
        long zw = -((long) l.argX() >> l.shrX());
        long zx = -((long) l.argW() >> l.shrW());
        long zw16 = zw * 256 + 128;
        int k2 = l.kernelSize() * l.kernelSize();
        return l.with(KpuField.ARG_X, -zw16).with(KpuField.SHR_X, 0).with(KpuField.ARG_ADD, k2 * zw16 * zx);
    }

    /** Output bytes of one case, then the KPU RAM lines of its output maps after the run. */
    static byte[][] run(Kpu kpu, Case c, byte[] file) throws KpuException {
        KpuLayerArgument l = c.conv().layer(file);
        KpuConvData d = c.conv().data(file);
        long seed = c.conv().file().hashCode() * 31L + c.conv().index();
        if (c.sixteen()) {
            d = sixteenBit(d, seed);
            l = sixteenBitRegisters(l);
        }
        KpuRam ram = new KpuRam();
        Random r = new Random(seed);
        int batches = c.conv().batches();
        byte[] in = new byte[l.inputChannels() * l.inputHeight() * l.inputWidth()];
        long inFmap = l.inputLayout().bytes(l.inputHeight(), l.inputChannels());
        for (int n = 0; n < batches; n++) {
            r.nextBytes(in);
            ram.upload((int) (l.imageSrcAddr() + n * inFmap / KpuRam.LINE_BYTES), in, 0, l.inputChannels(),
                    l.inputHeight(), l.inputWidth());
        }
        KpuLayerResult res = kpu.runLayer(ram, l, d, c.rules(), batches);
        int from = l.imageDstAddr() * KpuRam.LINE_BYTES;
        int len = (int) (l.outputLayout().bytes(l.outputHeight(), l.outputChannels()) * batches);
        byte[] mem = new byte[len];
        System.arraycopy(ram.bytes(), from, mem, 0, len);
        return new byte[][] {res.output(), mem};
    }

    static String digest(byte[][] parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Kpu kpu = new Kpu();
        StringBuilder sb = new StringBuilder();
        sb.append("# KPU output digests of every fixture conv layer (KpuGoldenDigests); written by the kernel of 489204d\n");
        String last = null;
        byte[] file = null;
        for (Case c : cases()) {
            if (!c.conv().file().equals(last)) {
                last = c.conv().file();
                file = ChipFixtures.bytes(last);
            }
            sb.append(c.key()).append(' ').append(digest(run(kpu, c, file))).append('\n');
        }
        Files.writeString(Path.of(args[0]), sb.toString(), StandardCharsets.UTF_8);
    }

    static List<String> expectedLines() throws IOException {
        try (var in = KpuGoldenDigests.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("missing test resource " + RESOURCE);
            }
            List<String> lines = new ArrayList<>();
            for (String s : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!s.isBlank() && !s.startsWith("#")) {
                    lines.add(s.trim());
                }
            }
            return lines;
        }
    }
}
