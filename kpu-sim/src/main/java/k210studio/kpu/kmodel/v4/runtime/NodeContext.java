package k210studio.kpu.kmodel.v4.runtime;

import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.v4.body.DataType;
import k210studio.kpu.kmodel.v4.body.MemoryRange;
import k210studio.kpu.kmodel.v4.body.Shape4;
import k210studio.kpu.kmodel.v4.body.V4Opcode;

/**
 * What a kernel needs while running one node: the pools, checks that turn an impossible access
 * into the documented {@link KmodelFormatException} (naming the node and the field), and the work
 * budget that stops a corrupt model asking for absurd computation before it starts.
 */
final class NodeContext {
    final int index;
    final V4Opcode opcode;
    final V4Pools pools;
    private final WorkBudget budget;

    NodeContext(int index, V4Opcode opcode, V4Pools pools, WorkBudget budget) {
        this.index = index;
        this.opcode = opcode;
        this.pools = pools;
        this.budget = budget;
    }

    KmodelFormatException fail(String problem) {
        return new KmodelFormatException("kmodel V4 node " + index + " (" + opcode.spelling() + "): " + problem);
    }

    byte[] pool(MemoryRange r) {
        return pools.of(r.memoryType());
    }

    /** The range must hold at least {@code bytes} bytes (it already fits its pool: checked at load). */
    void need(MemoryRange r, long bytes, String field) throws KmodelFormatException {
        if (bytes > r.size()) {
            throw fail(field + " " + r + " holds " + r.size() + " bytes but the op accesses " + bytes
                    + "; the body's shape fields and the range disagree");
        }
    }

    void needType(MemoryRange r, DataType t, String field) throws KmodelFormatException {
        if (r.dataType() != t) {
            throw fail(field + " " + r + " must be " + t.name().toLowerCase() + " for this op");
        }
    }

    /** Element count of a shape whose dims must all be >= 0 (at most 2^31). */
    long count(Shape4 s, String field) throws KmodelFormatException {
        for (int i = 0; i < 4; i++) {
            if (s.get(i) < 0) {
                throw fail(field + " " + s + " has a negative dimension");
            }
        }
        long n = s.product();
        if (n > Integer.MAX_VALUE) {
            throw fail(field + " " + s + " has more than 2^31 elements");
        }
        return n;
    }

    void positive(long v, String field) throws KmodelFormatException {
        if (v < 1) {
            throw fail(field + " must be at least 1, is " + v);
        }
    }

    void nonNegative(long v, String field) throws KmodelFormatException {
        if (v < 0) {
            throw fail(field + " must not be negative, is " + v);
        }
    }

    /** Charges the declared work of the node against the run's budget. */
    void charge(long work) throws KmodelFormatException {
        budget.charge(work, this);
    }
}
