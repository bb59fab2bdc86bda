package k210studio.kpu.kmodel.v4;

import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelLoader;

/** Registers the V4 reader with {@link k210studio.kpu.kmodel.KmodelFiles} (ServiceLoader). */
public final class V4KmodelLoader implements KmodelLoader {
    @Override
    public int version() {
        return 4;
    }

    @Override
    public Kmodel read(byte[] bytes) throws KmodelFormatException {
        return V4Kmodel.read(bytes);
    }
}
