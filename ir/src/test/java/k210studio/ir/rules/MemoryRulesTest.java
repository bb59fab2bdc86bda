package k210studio.ir.rules;

import static org.assertj.core.api.Assertions.assertThat;

import k210studio.ir.layer.*;
import org.junit.jupiter.api.Test;

/** MEM1 (per KPU layer: input + output ≤ 2 MiB) and MEM2 (main RAM within the firmware budget), each passing and failing. */
class MemoryRulesTest {

    @Test
    void mem1FeatureMapsMustFitTheKpuRam() {
        // 512×256×64 input: row_len 8 → 8·256·64 lines = 8 MiB
        Nets bad = Nets.input(256, 512, 64).then("conv", Conv2D.of(8, 1, 1, Padding.VALID));
        CheckReport r = bad.check();
        LayerCheck c = bad.at(r, "conv");
        assertThat(c.v3().verdict()).isEqualTo(Verdict.UNSUPPORTED);
        assertThat(c.v4().verdict()).isEqualTo(Verdict.UNSUPPORTED);
        assertThat(c.v3().rule()).isEqualTo(Rule.MEM1);
        assertThat(r.memory(Target.V3).problems()).singleElement().asString().contains("conv").contains("2 MiB");
        assertThat(r.problems(Target.V3)).anyMatch(p -> p.startsWith("conv (Conv2D)") && p.contains("KPU allocator"));
        assertThat(r.convertsFor(Target.V3)).isFalse();
        // passing: 8 input channels instead of 64 → 1 MiB + 0.5 MiB
        Nets ok = Nets.input(256, 512, 8).then("conv", Conv2D.of(4, 1, 1, Padding.VALID));
        CheckReport rr = ok.check();
        assertThat(ok.at(rr, "conv").v3().verdict()).isEqualTo(Verdict.KPU);
        assertThat(rr.memory(Target.V3).kpuPeakBytes()).isEqualTo(8L * 256 * 8 * 64 + 8L * 256 * 4 * 64);
    }

    @Test
    void mem2MainRamBudgetNamesTheLayer() {
        // 4096 → 200 float weights on the CPU: 3.3 MB: fits the bare SDK and MaixPy minimum, not MaixPy full with frame buffers
        Nets n = Nets.vector(4096).then("fc", new Dense(200, true, ActivationFn.LINEAR));
        CheckReport bare = K210Checker.check(n.g, MemoryBudget.BARE_SDK);
        assertThat(bare.fitsMemory(Target.V3)).isTrue();
        assertThat(K210Checker.check(n.g, MemoryBudget.MAIXPY_MINIMUM).fitsMemory(Target.V3)).isTrue();
        CheckReport full = K210Checker.check(n.g, MemoryBudget.MAIXPY_FULL_CAMERA_LCD);
        assertThat(full.fitsMemory(Target.V3)).isFalse();
        assertThat(full.convertsFor(Target.V3)).as("nncase still converts it").isTrue();
        assertThat(full.deployableFor(Target.V3)).isFalse();
        assertThat(full.problems(Target.V3)).singleElement().asString().contains("main RAM").contains("'fc'")
                .contains("MaixPy full + camera/LCD");
        assertThat(full.memory(Target.V3).weightBytes()).isEqualTo(4L * (4096 * 200 + 200));
    }

    @Test
    void budgetPresetsStateTheirFigures() {
        assertThat(MemoryBudget.BARE_SDK.bytes()).isEqualTo(6L * 1024 * 1024);
        assertThat(MemoryBudget.MAIXPY_MINIMUM.bytes()).isEqualTo(4_718_592L);
        assertThat(MemoryBudget.MAIXPY_FULL_CAMERA_LCD.bytes()).isEqualTo(3_132_416L);
        for (MemoryBudget b : MemoryBudget.values()) {
            assertThat(b.source()).isNotBlank();
        }
    }
}
