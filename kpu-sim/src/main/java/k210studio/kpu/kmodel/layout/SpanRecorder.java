package k210studio.kpu.kmodel.layout;

import java.util.ArrayList;
import java.util.List;
import k210studio.kpu.kmodel.KmodelFormatException;

/** A writer that only counts bytes and notes where each leaf field lands. */
final class SpanRecorder implements FieldWriter {
    private final List<FieldSpan> spans = new ArrayList<>();
    private long pos;

    SpanRecorder(long start) {
        this.pos = start;
    }

    List<FieldSpan> spans() {
        return List.copyOf(spans);
    }

    @Override
    public long position() {
        return pos;
    }

    @Override
    public void i32(int v) {
        pos += 4;
    }

    @Override
    public void u8(int v) {
        pos++;
    }

    @Override
    public void bytes(byte[] b) {
        pos += b.length;
    }

    @Override
    public void zeros(long n) {
        pos += n;
    }

    @Override
    public void mark(String path, Field<?> field, long bytes) {
        spans.add(new FieldSpan(path, field, pos, bytes));
    }

    @Override
    public KmodelFormatException error(long offset, String field, String problem) {
        return new KmodelFormatException(offset, field, problem);
    }
}
