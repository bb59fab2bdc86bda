package k210studio.converter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import k210studio.kpu.chip.KpuPeakThroughput;
import k210studio.kpu.kmodel.ElementType;
import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFiles;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelRuntime;
import k210studio.kpu.kmodel.KmodelTensor;
import k210studio.kpu.kmodel.RunOptions;
import k210studio.kpu.kmodel.RunResult;
import k210studio.kpu.kmodel.TensorDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./k210 bench <file.kmodel> [--runs N] [--warmup N] [--peak-ms N] [--json]}: simulator speed
 * (ms per inference after warm-up: mean, median, 90th percentile, best; MAC/s), the machine's int8
 * peak measured in the same run ({@link KpuPeakThroughput}, one core and all cores) and the estimated
 * time the model takes on a K210 (KPU at 400 MHz).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the simulator on a kmodel: ms per inference, effective GMAC/s and the machine's int8 peak.")
public final class BenchCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .kmodel file")
    Path file;

    @Option(names = "--runs", defaultValue = "20", description = "timed runs (default 20)")
    int runs;

    @Option(names = "--warmup", defaultValue = "5", description = "untimed warm-up runs (default 5)")
    int warmup;

    @Option(names = "--peak-ms", defaultValue = "300",
            description = "ms the int8 peak loop runs on one core and on all cores (0: skip; default 300)")
    int peakMs;

    @Option(names = "--json", description = "print the figures as one JSON object")
    boolean json;

    @Override
    public Integer call() {
        var out = out();
        if (runs < 1 || warmup < 0 || peakMs < 0) {
            return badInput("--runs must be >= 1, --warmup >= 0 and --peak-ms >= 0");
        }
        try {
            Kmodel m = KmodelFiles.read(file);
            KmodelTensor in = syntheticInput(m);
            KmodelRuntime rt = m.newRuntime(RunOptions.defaults());
            RunResult last = null;
            for (int i = 0; i < warmup; i++) {
                last = rt.run(in);
            }
            long best = Long.MAX_VALUE;
            long total = 0;
            long[] times = new long[runs];
            long cpu0 = processCpuNanos();
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                last = rt.run(in);
                long dt = System.nanoTime() - t0;
                times[i] = dt;
                total += dt;
                best = Math.min(best, dt);
            }
            java.util.Arrays.sort(times);
            long cpu = processCpuNanos() - cpu0;
            double mean = total / 1e6 / runs;
            double median = times[runs / 2] / 1e6;
            long macs = m.multiplyAccumulates();
            KpuPeakThroughput.Result peak = peakMs > 0 ? KpuPeakThroughput.measure(peakMs) : null;
            long cycles = last != null ? last.totalEstimatedCycles() : 0;
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("file", file.toString()).put("version", m.version()).put("layers", m.layerCount());
                o.put("runs", runs).put("warmup", warmup).put("cores", Runtime.getRuntime().availableProcessors());
                o.put("meanMs", mean).put("medianMs", median)
                        .put("p90Ms", times[Math.min(runs - 1, runs * 9 / 10)] / 1e6).put("bestMs", best / 1e6);
                if (cpu0 >= 0 && cpu >= 0) {
                    o.put("processCpuMs", cpu / 1e6 / runs);
                }
                o.put("macs", macs).put("macPerSecond", macs > 0 ? macs / (median / 1e3) : 0);
                if (peak != null) {
                    o.put("int8PeakMacPerSecondOneCore", peak.oneCore()).put("int8PeakMacPerSecondAllCores", peak.allCores())
                            .put("int8PeakEngine", peak.engine());
                }
                o.put("estimatedK210Cycles", cycles).put("estimatedK210Ms", cycles / 4e5);
                out.println(o.toPrettyString());
                out.flush();
                return 0;
            }
            out.printf(Locale.ROOT, "%s: kmodel V%d, %d layers%n", file, m.version(), m.layerCount());
            out.printf(Locale.ROOT, "simulator: %.2f ms per inference (mean of %d runs, median %.2f ms, 90th percentile %.2f ms,"
                    + " best %.2f ms, %d warm-up runs, %d cores)%n", mean, runs, median,
                    times[Math.min(runs - 1, runs * 9 / 10)] / 1e6, best / 1e6, warmup, Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "per image: %.2f ms (median of %d after %d warm-up runs)%n", median, runs, warmup);
            if (cpu0 >= 0 && cpu >= 0) {
                out.printf(Locale.ROOT, "process CPU time: %.2f ms per inference (all threads; independent of other"
                        + " load on the machine), load average %.1f%n", cpu / 1e6 / runs,
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
            if (macs > 0) {
                out.printf(Locale.ROOT, "work: %.1f M MAC per inference -> %.2f GMAC/s effective (%.2f GMAC/s at the median)%n",
                        macs / 1e6, macs / (mean / 1e3) / 1e9, macs / (median / 1e3) / 1e9);
            }
            if (peak != null) {
                out.printf(Locale.ROOT, "machine int8 peak (this run, %s, 8-bit values in 32-bit lanes): %.2f GMAC/s on"
                        + " one core, %.2f GMAC/s on %d cores%s%n", peak.engine(), peak.oneCore() / 1e9,
                        peak.allCores() / 1e9, peak.threads(),
                        macs > 0 ? String.format(Locale.ROOT, " -> simulator at %.0f%% of it",
                                100 * macs / (median / 1e3) / peak.allCores()) : "");
            }
            if (last != null) {
                out.printf(Locale.ROOT, "estimated on a K210 (400 MHz): %.2f ms (%d cycles)%n", cycles / 4e5, cycles);
            }
            out.flush();
            return 0;
        } catch (IOException e) {
            return badInput("cannot read " + file + ": " + e.getMessage());
        } catch (KmodelFormatException e) {
            return badInput(file + ": " + e.getMessage());
        }
    }

    /** CPU time of this JVM (all threads) in ns, or -1 when the platform does not say. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** A deterministic pseudo-random input of the model's input type (pixels 0..255, floats -1..1). */
    static KmodelTensor syntheticInput(Kmodel m) throws KmodelFormatException {
        if (m.inputs().isEmpty()) {
            throw new KmodelFormatException("the model declares no input");
        }
        TensorDescription d = m.inputs().get(0);
        int[] shape = d.shape().stream().mapToInt(Integer::intValue).toArray();
        int n = (int) d.elementCount();
        Random rnd = new Random(210);
        if (d.type() == ElementType.FLOAT32) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextFloat() * 2 - 1;
            }
            return KmodelTensor.ofFloats(shape, v);
        }
        byte[] b = new byte[n * d.type().byteSize()];
        rnd.nextBytes(b);
        return KmodelTensor.ofBytes(d.type(), shape, b);
    }
}
