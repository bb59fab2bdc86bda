package k210studio.converter.compile.prepare;

import k210studio.ir.graph.Graph;

/**
 * One inference-time rewrite of the float graph before calibration, like one of nncase's transforms: it changes the
 * graph in place and keeps what it computes exactly (up to float rounding).
 */
public interface GraphPass {
    /** A short name (shown in the pipeline's listing and in tests). */
    String name();

    /** One line: what the pass rewrites and why the K210 flow needs it. */
    String purpose();

    void apply(Graph g);
}
