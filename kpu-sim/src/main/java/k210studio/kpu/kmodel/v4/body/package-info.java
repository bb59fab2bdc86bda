/**
 * The typed bodies of kmodel V4 nodes: one immutable record per runtime opcode of kmodel-v4.md §5
 * (neutral 0x00-0x14, CPU 0x1001-0x1005, K210 0x2001-0x2002), behind the sealed
 * {@link k210studio.kpu.kmodel.v4.body.V4Body}, plus the shared value types (memory ranges, shapes,
 * paddings, activation ranges, quant params, enums) and immutable array wrappers.
 */
package k210studio.kpu.kmodel.v4.body;
