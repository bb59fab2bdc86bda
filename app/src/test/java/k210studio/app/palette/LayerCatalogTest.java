package k210studio.app.palette;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import k210studio.app.inspector.ParamForm;
import k210studio.ir.layer.LayerParams;
import org.junit.jupiter.api.Test;

class LayerCatalogTest {

    @Test
    void the_palette_offers_every_layer_kind_of_the_ir_catalog() {
        Set<Class<?>> offered = new HashSet<>();
        for (LayerCatalog.Entry e : LayerCatalog.all()) {
            offered.add(e.create().getClass());
        }
        assertThat(offered).containsExactlyInAnyOrder(LayerParams.class.getPermittedSubclasses());
    }

    @Test
    void every_palette_default_can_be_edited_field_by_field() {
        for (LayerCatalog.Entry e : LayerCatalog.all()) {
            LayerParams p = e.create();
            for (ParamForm.Field f : ParamForm.fieldsOf(p)) {
                // writing back the shown text gives the same parameters: every field type has an editor
                Object v = f.type() == boolean.class ? f.value() : f.text();
                assertThat(ParamForm.with(p, f.name(), v)).as(e.kerasName() + "." + f.name()).isEqualTo(p);
            }
        }
    }

    @Test
    void new_layers_get_keras_style_names() {
        assertThat(LayerCatalog.baseName(LayerCatalog.entry("Conv2D").create())).isEqualTo("conv2d");
        assertThat(LayerCatalog.baseName(LayerCatalog.entry("MaxPooling2D").create())).isEqualTo("max_pooling2d");
        assertThat(LayerCatalog.baseName(LayerCatalog.entry("ReLU").create())).isEqualTo("re_lu");
        assertThat(LayerCatalog.baseName(LayerCatalog.entry("BatchNormalization").create())).isEqualTo("batch_normalization");
        assertThat(LayerCatalog.baseName(LayerCatalog.entry("InputLayer").create())).isEqualTo("input");
    }
}
