package k210studio.kpu.kmodel.v4.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian float/int access into the byte arrays that model the K210 memories. */
final class Le {
    private static final VarHandle F32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private Le() {
    }

    static float f32(byte[] b, long at) {
        return (float) F32.get(b, (int) at);
    }

    static void f32(byte[] b, long at, float v) {
        F32.set(b, (int) at, v);
    }

    static int i32(byte[] b, long at) {
        return (int) I32.get(b, (int) at);
    }

    static void i32(byte[] b, long at, int v) {
        I32.set(b, (int) at, v);
    }

    static int u8(byte[] b, long at) {
        return b[(int) at] & 0xFF;
    }
}
