/**
 * Declarative byte layouts of kmodel bodies, in the spirit of Netron's per-format metadata: a
 * {@link k210studio.kpu.kmodel.layout.RecordLayout} lists a record type's fields in file order
 * (built with {@link k210studio.kpu.kmodel.layout.Fields}: integers with their ranges, enums, bools,
 * value types, arrays sized from earlier fields, counted lists, derived counts, gaps and pointed-to
 * blocks). That one declaration reads (bounds-checked, errors naming offset and field), writes
 * (refusing out-of-range values by field name), lists the values for dumps and the leaf spans for
 * field-aware fuzzing. The V3 and V4 tables ({@code V3BodyLayouts}, {@code V4BodyLayouts}) hold one
 * declaration per layer type / opcode.
 */
package k210studio.kpu.kmodel.layout;
