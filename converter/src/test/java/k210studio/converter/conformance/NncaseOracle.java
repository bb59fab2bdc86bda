package k210studio.converter.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import k210studio.testing.SharedFixtures;

/**
 * nncase v0.2.0-beta4's own C++ runtime as a test oracle: {@code ../shared/oracles/nncase-v0.2.0-beta4-runtime}
 * (nncase's sources, unchanged) built with this module's driver ({@code src/test/resources/nncase-oracle/driver}:
 * kmodel_run with {@code --dump-nodes}) into {@code <build folder>/nncase-oracle}. The build runs once per test run
 * and again only when the driver sources or the oracle folder change (a stamp holds their hash). Needs g++ and
 * cmake: when either is missing, {@link #get()} fails with a message saying so (CI has both) — never a silent skip.
 * Test scope only; the product never needs ../shared.
 */
final class NncaseOracle {
    static final String ORACLE = "oracles/nncase-v0.2.0-beta4-runtime";
    private static final List<String> DRIVER_FILES = List.of("CMakeLists.txt", "kmodel_run.cpp");
    private static final long BUILD_TIMEOUT_S = 600;
    private static final long RUN_TIMEOUT_S = 300;

    private static NncaseOracle instance;
    private static RuntimeException buildFailure;

    private final Path executable;
    private final Path work;

    private NncaseOracle(Path executable, Path work) {
        this.executable = executable;
        this.work = work;
    }

    /** One node's output as the driver dumped it (index.txt line + node_i.bin). */
    record NodeDump(int index, int opcode, String name, String memory, String dataType, byte[] bytes) {
    }

    /** What one kmodel_run call gave. */
    record Run(int exitCode, String stdout, String stderr, List<byte[]> outputs, List<NodeDump> nodes) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** The built oracle (building it on first use in this JVM). */
    static synchronized NncaseOracle get() {
        if (instance != null) {
            return instance;
        }
        if (buildFailure != null) {
            throw buildFailure;
        }
        try {
            instance = build();
            return instance;
        } catch (RuntimeException e) {
            buildFailure = e;
            throw e;
        }
    }

    Path executable() {
        return executable;
    }

    /** Writes the kmodel under {@code <build folder>/nncase-oracle/kmodels} (kept for a look after a failure). */
    Path keep(String name, byte[] kmodel) throws IOException {
        Path dir = Files.createDirectories(work.getParent().resolve("kmodels"));
        Path f = dir.resolve(name.replaceAll("[^A-Za-z0-9._-]+", "_") + (name.endsWith(".kmodel") ? "" : ".kmodel"));
        Files.write(f, kmodel);
        return f;
    }

    /**
     * Runs the kmodel on the raw input bytes (NCHW, uint8 or little-endian float32) in nncase's runtime.
     *
     * @param dumpNodes also dump every node's output (slower; used to name the first differing node)
     */
    Run run(Path kmodel, byte[] input, boolean dumpNodes) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(work, "run");
        try {
            Path in = dir.resolve("input.bin");
            Files.write(in, input);
            Path out = dir.resolve("out");
            Path nodes = dir.resolve("nodes");
            List<String> cmd = new ArrayList<>(List.of(executable.toString(), kmodel.toString(), in.toString(), out.toString()));
            if (dumpNodes) {
                cmd.add("--dump-nodes");
                cmd.add(nodes.toString());
            }
            Exec e = exec(cmd, dir, RUN_TIMEOUT_S);
            List<byte[]> outputs = new ArrayList<>();
            for (int i = 0; e.code == 0 && Files.exists(out.resolve("out_" + i + ".bin")); i++) {
                outputs.add(Files.readAllBytes(out.resolve("out_" + i + ".bin")));
            }
            List<NodeDump> dumps = new ArrayList<>();
            Path index = nodes.resolve("index.txt");
            if (dumpNodes && Files.exists(index)) {
                for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
                    String[] f = line.trim().split(" ");
                    if (f.length < 6) {
                        continue;
                    }
                    int i = Integer.parseInt(f[0]);
                    Path bin = nodes.resolve("node_" + i + ".bin");
                    dumps.add(new NodeDump(i, Integer.decode(f[1]), f[2], f[3], f[4],
                            Files.exists(bin) ? Files.readAllBytes(bin) : null));
                }
            }
            return new Run(e.code, e.stdout, e.stderr, outputs, dumps);
        } finally {
            deleteTree(dir);
        }
    }

    private static NncaseOracle build() {
        Path oracle = SharedFixtures.root().resolve(ORACLE);
        if (!Files.isDirectory(oracle.resolve("nncase/src/runtime"))) {
            throw new IllegalStateException("nncase's runtime sources are missing: expected " + oracle.resolve("nncase")
                    + " (the shared oracles folder beside the repository)");
        }
        requireTool("cmake", "--version");
        requireTool("g++", "--version");
        Path base = buildFolder().resolve("nncase-oracle");
        Path src = base.resolve("driver");
        Path bin = base.resolve("build");
        Path exe = bin.resolve("kmodel_run");
        try {
            Files.createDirectories(src);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(oracle.toString().getBytes(StandardCharsets.UTF_8));
            for (String f : DRIVER_FILES) {
                byte[] bytes = driverResource(f);
                sha.update(bytes);
                Path dest = src.resolve(f);
                if (!Files.exists(dest) || !java.util.Arrays.equals(Files.readAllBytes(dest), bytes)) {
                    Files.write(dest, bytes);
                }
            }
            String hash = HexFormat.of().formatHex(sha.digest());
            Path stamp = base.resolve("build.stamp");
            boolean fresh = Files.isExecutable(exe) && Files.exists(stamp)
                    && Files.readString(stamp, StandardCharsets.UTF_8).trim().equals(hash);
            if (!fresh) {
                long t0 = System.nanoTime();
                Exec conf = exec(List.of("cmake", "-S", src.toString(), "-B", bin.toString(), "-DCMAKE_BUILD_TYPE=Release",
                        "-DNNCASE_ORACLE_ROOT=" + oracle), base, BUILD_TIMEOUT_S);
                check(conf, "cmake configure");
                int jobs = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
                Exec make = exec(List.of("cmake", "--build", bin.toString(), "-j" + jobs), base, BUILD_TIMEOUT_S);
                check(make, "cmake --build");
                if (!Files.isExecutable(exe)) {
                    throw new IllegalStateException("building nncase's runtime gave no " + exe + ":\n" + make.stdout + make.stderr);
                }
                Files.writeString(stamp, hash + "\n", StandardCharsets.UTF_8);
                System.out.printf("conformance: built nncase v0.2.0-beta4's runtime (%s) in %.1f s%n", exe,
                        (System.nanoTime() - t0) / 1e9);
            }
            Path work = Files.createDirectories(base.resolve("runs"));
            return new NncaseOracle(exe, work);
        } catch (IOException e) {
            throw new IllegalStateException("cannot build nncase's runtime into " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building nncase's runtime", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] driverResource(String name) throws IOException {
        try (InputStream in = NncaseOracle.class.getResourceAsStream("/nncase-oracle/driver/" + name)) {
            if (in == null) {
                throw new IOException("test resource nncase-oracle/driver/" + name + " is missing");
            }
            return in.readAllBytes();
        }
    }

    /** The module's build folder (target/ or -Dk210.target): the parent of test-classes. */
    static Path buildFolder() {
        try {
            Path classes = Paths.get(NncaseOracle.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireTool(String tool, String arg) {
        String why;
        try {
            Exec e = exec(List.of(tool, arg), Paths.get("").toAbsolutePath(), 60);
            if (e.code == 0) {
                return;
            }
            why = "'" + tool + " " + arg + "' exited with " + e.code + ": " + e.stderr.trim();
        } catch (IOException e) {
            why = tool + " is not on the PATH (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted";
        }
        throw new IllegalStateException("the nncase conformance suite builds nncase v0.2.0-beta4's C++ runtime and needs g++ "
                + "and cmake: " + why + ". Install them (Debian/Ubuntu: apt-get install g++ cmake); CI has both.");
    }

    private record Exec(int code, String stdout, String stderr) {
    }

    private static void check(Exec e, String what) {
        if (e.code != 0) {
            throw new IllegalStateException(what + " of nncase's runtime failed (exit " + e.code + "):\n" + e.stdout + e.stderr);
        }
    }

    private static Exec exec(List<String> cmd, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
        Path outFile = Files.createTempFile("oracle", ".out");
        Path errFile = Files.createTempFile("oracle", ".err");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(outFile.toFile())
                    .redirectError(errFile.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Exec(p.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8),
                    Files.readString(errFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
