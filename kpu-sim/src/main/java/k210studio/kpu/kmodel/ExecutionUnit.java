package k210studio.kpu.kmodel;

/** Where a layer runs on the K210: the KPU accelerator or the RISC-V CPU. */
public enum ExecutionUnit {
    KPU, CPU
}
