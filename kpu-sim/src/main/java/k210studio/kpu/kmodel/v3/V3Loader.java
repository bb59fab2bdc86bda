package k210studio.kpu.kmodel.v3;

import k210studio.kpu.kmodel.Kmodel;
import k210studio.kpu.kmodel.KmodelFormatException;
import k210studio.kpu.kmodel.KmodelLoader;

/** Registers the V3 reader with {@link k210studio.kpu.kmodel.KmodelFiles} (ServiceLoader). */
public final class V3Loader implements KmodelLoader {
    @Override
    public int version() {
        return 3;
    }

    @Override
    public Kmodel read(byte[] bytes) throws KmodelFormatException {
        return V3Reader.read(bytes);
    }
}
