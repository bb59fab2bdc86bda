package k210studio.kpu.kmodel.v4.runtime;

import k210studio.kpu.chip.Kpu;
import k210studio.kpu.chip.KpuActivationTable;
import k210studio.kpu.chip.KpuConvData;
import k210studio.kpu.chip.KpuRam;
import k210studio.kpu.kmodel.KpuRules;
import k210studio.kpu.kmodel.v4.body.KpuConv2dBody;

/**
 * The chip side of a V4 run: the KPU, its 2 MiB RAM (the runtime's k210_kpu pool), the rule set,
 * and the per-node weight/BN/activation tables built once and reused by every run.
 */
final class KpuSupport {
    private final Kpu kpu;
    private final KpuRam ram;
    private final KpuRules rules;
    private final KpuConvData[] data;

    KpuSupport(Kpu kpu, KpuRam ram, KpuRules rules, int nodes) {
        this.kpu = kpu;
        this.ram = ram;
        this.rules = rules;
        this.data = new KpuConvData[nodes];
    }

    Kpu kpu() {
        return kpu;
    }

    KpuRam ram() {
        return ram;
    }

    KpuRules rules() {
        return rules;
    }

    KpuConvData data(int node, KpuConv2dBody b) {
        if (data[node] == null) {
            byte[] at = b.activationTable().toArray();
            data[node] = KpuConvData.eightBit(b.weights().toArray(), b.bnTable().toArray(),
                    KpuActivationTable.fromBytes(at, 0));
        }
        return data[node];
    }
}
