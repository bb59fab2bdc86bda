package k210studio.kpu.kmodel.v4;

import java.util.Arrays;
import k210studio.kpu.kmodel.v4.body.V4Body;
import k210studio.kpu.kmodel.v4.body.V4Opcode;

/**
 * One node: its typed body plus what the file stored around it. {@code bodySize} is the header's
 * value (body + alignment padding). {@code tail} holds the bytes that followed the decoded fields
 * inside the body span (normally the zero alignment padding; shorter for the last body, whose
 * padding ncc never writes). A node built for a new model has {@code tail == null}: the writer
 * then computes the padding and the body size itself.
 */
public record V4Node(V4Body body, long bodySize, byte[] tail) {

    public V4Node {
        if (body == null) {
            throw new IllegalArgumentException("node needs a body");
        }
        tail = tail == null ? null : tail.clone();
    }

    /** A node for a new model: padding and body size are computed by the writer. */
    public static V4Node of(V4Body body) {
        return new V4Node(body, -1, null);
    }

    public V4Opcode opcode() {
        return body.opcode();
    }

    @Override
    public byte[] tail() {
        return tail == null ? null : tail.clone();
    }

    int tailLength() {
        return tail == null ? 0 : tail.length;
    }

    byte[] tailUnsafe() {
        return tail;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof V4Node n && body.equals(n.body) && bodySize == n.bodySize && Arrays.equals(tail, n.tail);
    }

    @Override
    public int hashCode() {
        return body.hashCode() * 31 + Long.hashCode(bodySize) * 7 + Arrays.hashCode(tail);
    }

    @Override
    public String toString() {
        return opcode().spelling() + "(bodySize=" + bodySize + ")";
    }
}
