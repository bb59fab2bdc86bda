package k210studio.converter.compile.lower;

import java.nio.file.Path;
import k210studio.converter.compile.CompileOptions;
import k210studio.converter.compile.GraphPreparer;
import k210studio.converter.quant.QuantRules;
import k210studio.converter.tflite.TfliteImporter;
import k210studio.ir.graph.Graph;
import k210studio.testing.SharedFixtures;

/** The lowering decision passes' inputs for tests: a prepared graph's context (no calibration: decisions need none). */
final class Lowerings {
    private Lowerings() {
    }

    static LoweringContext context(Graph prepared, QuantRules target) {
        return new LoweringContext(prepared, null, CompileOptions.defaults(target));
    }

    static LoweringContext context(Graph prepared, CompileOptions opt) {
        return new LoweringContext(prepared, null, opt);
    }

    /** The padding mapping of every conv of a prepared graph. */
    static ConvMappings convs(Graph prepared, QuantRules target) {
        return PaddingMapping.run(context(prepared, target));
    }

    /** TinyMaix's float MobileNet v1 0.25 @128 as the TFLite importer reads it, prepared. */
    static Graph mbnet128() throws Exception {
        Path f = SharedFixtures.fixture("tflite/tinymaix_mbnet128_0.25_float.tflite");
        return GraphPreparer.prepare(TfliteImporter.importFile(f).graph());
    }

    /** The id of the layer named so. */
    static String id(Graph g, String name) {
        return k210studio.converter.compile.PassTesting.named(g, name).id();
    }
}
