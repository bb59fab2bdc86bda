package k210studio.converter.memory;

/**
 * A buffer to place: live from the step that writes it ({@code firstUse}) through the last step that reads it
 * ({@code lastUse}), both inclusive.
 *
 * @param name     what the buffer holds (the layer that produces it), for reports and errors
 * @param size     size in the pool's units (KPU lines or bytes)
 * @param firstUse index of the producing step
 * @param lastUse  index of the last consuming step (≥ firstUse)
 * @param pinnedAt a fixed address, or −1 to let the allocator choose
 */
public record BufferRequest(String name, long size, int firstUse, int lastUse, long pinnedAt) {
    public BufferRequest {
        if (size <= 0) {
            throw new IllegalArgumentException("buffer " + name + " has size " + size);
        }
        if (lastUse < firstUse) {
            throw new IllegalArgumentException("buffer " + name + " is read before it is written");
        }
    }

    public BufferRequest(String name, long size, int firstUse, int lastUse) {
        this(name, size, firstUse, lastUse, -1);
    }
}
