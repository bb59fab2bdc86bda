package k210studio.app.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.Position;
import k210studio.ir.layer.Add;
import k210studio.ir.layer.Conv2D;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.Padding;
import k210studio.ir.layer.ReLU;
import k210studio.ir.samples.SampleNetworks;
import k210studio.ir.tensor.TensorShape;
import org.junit.jupiter.api.Test;

class LayeredLayoutTest {

    @Test
    void every_layer_sits_below_all_its_producers_and_no_two_boxes_overlap() {
        Graph g = SampleNetworks.mobileNetStyle();
        Map<String, Position> pos = LayeredLayout.layout(g);
        assertThat(pos.keySet()).containsExactlyInAnyOrderElementsOf(g.ids());
        for (String id : g.ids()) {
            for (String p : g.inputsOf(id)) {
                assertThat(pos.get(id).y()).as(id + " below " + p).isGreaterThanOrEqualTo(pos.get(p).y() + LayeredLayout.NODE_H);
            }
        }
        for (String a : g.ids()) {
            for (String b : g.ids()) {
                if (a.compareTo(b) < 0) {
                    Position pa = pos.get(a);
                    Position pb = pos.get(b);
                    boolean overlap = Math.abs(pa.x() - pb.x()) < LayeredLayout.NODE_W && Math.abs(pa.y() - pb.y()) < LayeredLayout.NODE_H;
                    assertThat(overlap).as(a + " vs " + b).isFalse();
                }
            }
        }
    }

    @Test
    void a_residual_branch_goes_beside_the_main_path_and_the_merge_below_both() {
        Graph g = new Graph("res");
        String in = g.add("input", new Input(TensorShape.hwc(32, 32, 8)));
        String c1 = g.add("conv_a", Conv2D.of(8, 3, 1, Padding.SAME), in);
        String c2 = g.add("conv_b", Conv2D.of(8, 3, 1, Padding.SAME), c1);
        String r = g.add("relu", ReLU.plain(), in);
        String add = g.add("add", new Add(), c2, r);
        Map<String, Position> pos = LayeredLayout.layout(g);
        // longest path: add is in row 3 (after conv_b), the skip's ReLU in row 1 beside conv_a
        assertThat(pos.get(add).y()).isEqualTo(3 * (LayeredLayout.NODE_H + LayeredLayout.V_GAP));
        assertThat(pos.get(r).y()).isEqualTo(pos.get(c1).y());
        assertThat(pos.get(r).x()).isNotEqualTo(pos.get(c1).x());
    }
}
