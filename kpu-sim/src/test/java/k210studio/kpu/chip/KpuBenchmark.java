package k210studio.kpu.chip;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import k210studio.kpu.kmodel.KpuRules;

/**
 * Micro benchmark (a main, not a test): runs every KPU layer of a fixture model back to back on
 * random input and prints ms per pass and effective GMAC/s. Usage:
 * {@code java --add-modules jdk.incubator.vector -cp ... k210studio.kpu.chip.KpuBenchmark [fixture] [runs] [layers,serial]}
 * (without the module the portable kernel runs).
 */
public final class KpuBenchmark {
    private KpuBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "kmodel/v3/mobilenet_v1_0.75_1000cls.kmodel";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        boolean perLayer = args.length > 2 && args[2].contains("layers");
        boolean serial = args.length > 2 && args[2].contains("serial");
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] file = ChipFixtures.bytes(name);
        List<ChipFixtures.ConvLayer> convs = name.contains("/v4/") || name.contains("pairs/")
                ? ChipFixtures.v4Convs(name, file) : ChipFixtures.v3Convs(name, file);
        List<KpuLayerArgument> layers = new ArrayList<>();
        List<KpuConvData> data = new ArrayList<>();
        long macs = 0;
        for (ChipFixtures.ConvLayer c : convs) {
            KpuLayerArgument l = c.layer(file);
            layers.add(l);
            data.add(c.data(file));
            macs += (long) l.inputWidth() * l.inputHeight() * l.kernelSize() * l.kernelSize()
                    * (l.depthwise() ? l.outputChannels() : (long) l.inputChannels() * l.outputChannels()) * c.batches();
        }
        KpuRam ram = new KpuRam();
        new Random(1).nextBytes(ram.bytes());
        Kpu kpu = new Kpu(!serial);
        KpuRules rules = name.contains("/v3/") ? KpuRules.RC5 : KpuRules.BETA4;
        long[] perLayerNs = new long[layers.size()];
        double best = Double.MAX_VALUE;
        double cpuSum = 0;
        double sum = 0;
        int measured = 0;
        double[] cpus = new double[runs - runs / 2];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < layers.size(); i++) {
                long a = serial ? mx.getCurrentThreadCpuTime() : System.nanoTime();
                kpu.runLayer(ram, layers.get(i), data.get(i), rules, convs.get(i).batches());
                if (r >= runs / 2) {
                    perLayerNs[i] += (serial ? mx.getCurrentThreadCpuTime() : System.nanoTime()) - a;
                }
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
            if (r >= runs / 2) {
                cpus[measured] = cpu;
                cpuSum += cpu;
                sum += ms;
                measured++;
            }
            best = Math.min(best, ms);
        }
        double mean = sum / measured;
        System.out.printf("%s: %d KPU layers, %.1f M MAC (full-resolution conv)%n", name, layers.size(), macs / 1e6);
        System.out.printf("KPU layers: mean %.2f ms, best %.2f ms per pass, %.2f GMAC/s (second half of %d runs)%n", mean,
                best, macs / (mean * 1e6), runs);
        if (serial) {
            java.util.Arrays.sort(cpus);
            System.out.printf("serial: calling-thread CPU time %.2f ms per pass (median %.2f, best %.2f), %.2f GMAC/s"
                    + " of CPU time%n", cpuSum / measured, cpus[measured / 2], cpus[0], macs / (cpuSum / measured * 1e6));
        }
        if (perLayer) {
            for (int i = 0; i < layers.size(); i++) {
                System.out.printf("  %2d %-70s %7.3f ms%n", convs.get(i).index(), layers.get(i),
                        perLayerNs[i] / 1e6 / measured);
            }
        }
    }
}
