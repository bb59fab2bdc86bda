package k210studio.kpu.chip;

/**
 * The result of one KPU layer: the pooled uint8 output as dense CHW bytes (batch after batch), which
 * is also what the layer streams to main memory when it has a main-memory output (V3 DMA with
 * send_data_out, V4 CPU copy). The same map has been written to KPU RAM at image_dst_addr.
 *
 * @param output          dense output, {@code batches·channels·height·width} bytes (not copied: do
 *                        not modify if you keep the result)
 * @param estimatedCycles {@link KpuTiming} estimate for the layer (all batches), KPU clock cycles
 * @param macs            multiply-accumulates the KPU performed (full-resolution conv, all batches)
 */
public record KpuLayerResult(byte[] output, int channels, int height, int width, int batches, long estimatedCycles,
                             long macs) {

    /** Bytes of the dense output. */
    public int size() {
        return output.length;
    }

    /**
     * Copies the dense output into main memory at {@code address} (V3 MAIN_MEM_OUT / V4
     * main_mem_output).
     *
     * @throws KpuException when the output does not fit in {@code mainMemory} at that address
     */
    public void copyTo(byte[] mainMemory, long address) throws KpuException {
        if (address < 0 || address + output.length > mainMemory.length) {
            throw new KpuException("KPU main-memory output: " + output.length + " bytes at address 0x"
                    + Long.toHexString(address) + " do not fit in the " + mainMemory.length
                    + "-byte main memory; fix main_mem_out_address or the main memory size in the model");
        }
        System.arraycopy(output, 0, mainMemory, (int) address, output.length);
    }
}
