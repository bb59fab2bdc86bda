package k210studio.app.inspector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import k210studio.ir.layer.ActivationFn;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

class ParamFormTest {

    @Test
    void lists_every_record_component_with_its_value() {
        var fields = ParamForm.fieldsOf(Conv2D.of(32, 3, 2, Padding.SAME));
        assertThat(fields).extracting(ParamForm.Field::name).containsExactly("filters", "kernelH", "kernelW", "strideH",
                "strideW", "padding", "dilationH", "dilationW", "useBias", "activation");
        assertThat(fields.get(3).text()).isEqualTo("2");
        assertThat(fields.get(5).text()).isEqualTo("same");
        assertThat(fields.get(3).label()).isEqualTo("stride H");
    }

    @Test
    void typed_text_becomes_new_params_through_the_layers_own_constructor() {
        LayerParams p = Conv2D.of(32, 3, 1, Padding.SAME);
        p = ParamForm.with(p, "strideH", "2");
        p = ParamForm.with(p, "padding", "VALID");
        p = ParamForm.with(p, "activation", "leaky_relu(0.2)");
        Conv2D c = (Conv2D) p;
        assertThat(c.strideH()).isEqualTo(2);
        assertThat(c.strideW()).isEqualTo(1);
        assertThat(c.padding()).isEqualTo(Padding.VALID);
        assertThat(c.activation()).isEqualTo(ActivationFn.leakyRelu(0.2f));
        assertThat(ParamForm.with(new Input(TensorShape.hwc(1, 1, 1)), "shape", "240 x 320 x 3"))
                .isEqualTo(new Input(TensorShape.hwc(240, 320, 3)));
        assertThat(((ReLU) ParamForm.with(ReLU.relu6(), "maxValue", "")).maxValue()).isNull();
    }

    @Test
    void invalid_values_are_refused_with_the_reason() {
        LayerParams p = Conv2D.of(32, 3, 1, Padding.SAME);
        assertThatThrownBy(() -> ParamForm.with(p, "filters", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("filters must be ≥ 1");
        assertThatThrownBy(() -> ParamForm.with(p, "strideH", "two")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> ParamForm.with(p, "padding", "reflect")).hasMessageContaining("same");
        assertThatThrownBy(() -> ParamForm.with(p, "activation", "gelu")).hasMessageContaining("gelu");
        assertThatThrownBy(() -> ParamForm.with(new Input(TensorShape.hwc(1, 1, 1)), "shape", "0x4")).hasMessageContaining("positive");
    }
}
