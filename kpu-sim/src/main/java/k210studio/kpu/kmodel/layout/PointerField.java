package k210studio.kpu.kmodel.layout;

/**
 * A derived u32 file offset of a {@link BlockField} (V3 K210_CONV's sub-blocks): read as stored,
 * written as the place the layout gives the block.
 */
public final class PointerField extends DerivedU32Field {
    PointerField(String name) {
        super(name);
    }

    @Override
    Long derive(FieldValues v) {
        return v.integer(name());
    }
}
