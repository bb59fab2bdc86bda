package k210studio.converter.memory;

/** Where a buffer was placed: [address, address + size) in pool units, live over [firstUse, lastUse]. */
public record Placement(BufferRequest request, long address) {
    public long end() {
        return address + request.size();
    }

    public boolean liveAt(int step) {
        return step >= request.firstUse() && step <= request.lastUse();
    }
}
