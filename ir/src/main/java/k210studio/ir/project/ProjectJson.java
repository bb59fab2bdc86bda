package k210studio.ir.project;

import static k210studio.ir.project.ProjectFileException.cannotOpen;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import k210studio.ir.graph.Graph;
import k210studio.ir.graph.GraphException;
import k210studio.ir.graph.Layer;
import k210studio.ir.graph.Position;
import k210studio.ir.layer.LayerParams;
import k210studio.ir.project.ProjectDocument.GraphDoc;
import k210studio.ir.project.ProjectDocument.LayerDoc;
import k210studio.ir.project.ProjectDocument.WeightDoc;
import k210studio.ir.tensor.Tensor;

/**
 * {@code project.json} and the project it describes ({@link ProjectDocument} is the schema): the
 * graph, settings and weights index mapped to JSON, and back, with every check a hand-edited or
 * damaged document needs (ids, names, params by layer type, dangling edges, cycles, outputs). Every
 * problem is a {@link ProjectFileException} naming the place in the JSON and the fix.
 */
final class ProjectJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // records such as ZeroPadding2D have derived isXxx() helpers that are not state
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final ObjectReader PARAMS_READER = MAPPER.readerFor(LayerParams.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                    DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ProjectJson() {
    }

    /** The {@code project.json} bytes of a project whose weights were packed with {@code index}. */
    static byte[] write(Project project, List<WeightDoc> index) throws IOException {
        Graph g = project.graph();
        List<LayerDoc> layers = new ArrayList<>();
        for (Layer l : g.layers()) {
            JsonNode params = MAPPER.readTree(MAPPER.writerFor(LayerParams.class).writeValueAsBytes(l.params()));
            layers.add(new LayerDoc(l.id(), l.name(), params, g.inputsOf(l.id()), g.position(l.id()), l.notes()));
        }
        ProjectDocument doc = new ProjectDocument(ProjectFormatVersion.CURRENT, "K210 Studio", project.settings(),
                new GraphDoc(g.name(), layers, g.explicitOutputs()), index);
        return MAPPER.writeValueAsBytes(doc);
    }

    /** The document in {@code json}, after its format version is checked. */
    static ProjectDocument parse(byte[] json, String src) throws ProjectFileException, IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw cannotOpen(src, "project.json is not valid JSON " + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage()),
                    "Fix the JSON there (or restore the file from a backup).");
        }
        if (root == null || !root.isObject()) {
            throw cannotOpen(src, "project.json does not hold a JSON object", "Restore the file from a backup.");
        }
        ProjectFormatVersion.check(root, src);
        ProjectDocument doc;
        try {
            doc = MAPPER.readValue(json, ProjectDocument.class);
        } catch (JsonMappingException e) {
            throw cannotOpen(src, "project.json has a wrong value at " + path(e) + " " + where(e.getLocation()) + ": " + mappingReason(e),
                    "Fix that value in project.json.");
        } catch (JsonProcessingException e) {
            throw cannotOpen(src, "project.json is not valid JSON " + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage()),
                    "Fix the JSON there.");
        }
        return doc;
    }

    static Project toProject(ProjectDocument doc, byte[] weightsBlob, String src) throws ProjectFileException {
        GraphDoc gd = doc.graph();
        if (gd == null) {
            throw cannotOpen(src, "project.json has no \"graph\"", "Restore the file from a backup.");
        }
        List<LayerDoc> docs = gd.layers() == null ? List.of() : gd.layers();
        // ids, names, params
        Map<String, LayerDoc> byId = new LinkedHashMap<>();
        Map<String, LayerParams> params = new HashMap<>();
        for (int i = 0; i < docs.size(); i++) {
            LayerDoc d = docs.get(i);
            String at = "graph.layers[" + i + "]";
            if (d == null) {
                throw cannotOpen(src, at + " in project.json is null", "Remove it or restore the layer.");
            }
            if (d.id() == null) {
                throw cannotOpen(src, at + " in project.json has no \"id\"", "Give every layer a unique id.");
            }
            if (byId.containsKey(d.id())) {
                throw cannotOpen(src, "two layers share the id \"" + d.id() + "\" (" + at + " and an earlier one)", "Give every layer a unique id in project.json.");
            }
            if (d.name() == null) {
                throw cannotOpen(src, at + " (id \"" + d.id() + "\") has no \"name\"", "Give the layer a name.");
            }
            byId.put(d.id(), d);
            params.put(d.id(), parseParams(d, at, src));
        }
        // edges
        for (int i = 0; i < docs.size(); i++) {
            LayerDoc d = docs.get(i);
            List<String> ins = d.inputs() == null ? List.of() : d.inputs();
            for (String from : ins) {
                if (from == null || !byId.containsKey(from)) {
                    throw cannotOpen(src, "layer " + label(d) + " takes its input from layer id \"" + from
                                    + "\", which is not in the file (a dangling edge)",
                            "Remove that id from the layer's \"inputs\" in project.json, or restore the missing layer.");
                }
            }
            // more inputs than the layer takes is a state the editor allows (changing a layer's kind keeps its
            // edges; Graph.problems() reports it), so it loads as saved rather than failing
        }
        List<String> cycle = findCycle(docs);
        if (!cycle.isEmpty()) {
            String names = cycle.stream().map(id -> byId.get(id).name()).collect(Collectors.joining(" → "));
            throw cannotOpen(src, "its layers form a cycle: " + names + " → " + byId.get(cycle.get(0)).name(),
                    "A network must not feed a layer's output back into itself: remove one of these connections in project.json.");
        }
        List<String> outputs = gd.outputs() == null ? List.of() : gd.outputs();
        for (String o : outputs) {
            if (o == null || !byId.containsKey(o)) {
                throw cannotOpen(src, "the graph's outputs name layer id \"" + o + "\", which is not in the file (a dangling edge)",
                        "Remove it from \"outputs\" in project.json.");
            }
        }
        Map<String, Map<String, Tensor>> weights = ProjectWeights.unpack(doc.weights(), weightsBlob, byId, src);

        Graph g = new Graph(gd.name() == null ? "model" : gd.name());
        try {
            List<Layer> overConnected = new ArrayList<>();
            for (LayerDoc d : docs) {
                Layer l = new Layer(d.id(), d.name(), params.get(d.id()), weights.getOrDefault(d.id(), Map.of()), d.notes());
                int n = d.inputs() == null ? 0 : d.inputs().size();
                if (n > l.params().maxInputs()) {
                    // connect through a stand-in that takes any number of inputs, then put the real layer back
                    overConnected.add(l);
                    l = l.withParams(new k210studio.ir.layer.Concatenate(-1));
                }
                g.addLayer(l);
            }
            for (LayerDoc d : docs) {
                for (String from : d.inputs() == null ? List.<String>of() : d.inputs()) {
                    g.connect(from, d.id());
                }
                Position pos = d.position();
                // a position that is not finite is dropped: the canvas lays such a layer out afresh
                if (pos != null && Double.isFinite(pos.x()) && Double.isFinite(pos.y())) {
                    g.setPosition(d.id(), pos);
                }
            }
            for (Layer l : overConnected) {
                g.replaceLayer(l);
            }
            if (!outputs.isEmpty()) {
                g.setOutputs(outputs);
            }
        } catch (GraphException e) {
            throw cannotOpen(src, "the network in it is not valid: " + e.getMessage(), "Fix the layer's connections in project.json.");
        }
        ProjectSettings settings = doc.settings() != null ? doc.settings() : ProjectSettings.defaults(g.name());
        return new Project(g, settings);
    }

    private static LayerParams parseParams(LayerDoc d, String at, String src) throws ProjectFileException {
        if (d.params() == null || d.params().isNull()) {
            throw cannotOpen(src, "layer " + label(d) + " has no \"params\"", "Add the layer's params (with its \"type\") in project.json.");
        }
        try {
            LayerParams p = PARAMS_READER.readValue(d.params());
            if (p == null) {
                throw cannotOpen(src, "layer " + label(d) + " has empty \"params\"", "Add the layer's params in project.json.");
            }
            return p;
        } catch (InvalidTypeIdException e) {
            if (e.getTypeId() == null || e.getTypeId().isEmpty()) {
                throw cannotOpen(src, "layer " + label(d) + " has params without a \"type\"", "Add \"type\" (one of " + knownTypes() + ").");
            }
            throw cannotOpen(src, "layer " + label(d) + " has the unknown layer type \"" + e.getTypeId() + "\"",
                    "This K210 Studio knows " + knownTypes() + "; the file may come from a newer version: update K210 Studio or change the type.");
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw cannotOpen(src, "layer " + label(d) + " has invalid parameters: " + c.getMessage(), "Fix the layer's params in project.json.");
        } catch (UnrecognizedPropertyException e) {
            throw cannotOpen(src, "layer " + label(d) + " has the unknown parameter \"" + e.getPropertyName() + "\" for its type",
                    "Known parameters: " + e.getKnownPropertyIds() + "; remove or rename it.");
        } catch (InvalidFormatException e) {
            throw cannotOpen(src, "layer " + label(d) + " has a wrong value at params." + path(e) + ": " + mappingReason(e),
                    "Fix the layer's params in project.json.");
        } catch (JsonMappingException e) {
            throw cannotOpen(src, "layer " + label(d) + " has wrong params" + (e.getPath().isEmpty() ? "" : " at params." + path(e)) + ": "
                    + mappingReason(e), "Fix the layer's params in project.json.");
        } catch (IOException e) {
            throw cannotOpen(src, "layer " + label(d) + " has unreadable params: " + firstLine(e.getMessage()), "Fix the layer's params in project.json.");
        }
    }

    /** Layer ids on one cycle (in edge order), or empty when the layers form a DAG. */
    private static List<String> findCycle(List<LayerDoc> docs) {
        Map<String, List<String>> producers = new HashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        Map<String, Integer> pending = new LinkedHashMap<>();
        for (LayerDoc d : docs) {
            List<String> ins = d.inputs() == null ? List.of() : d.inputs();
            producers.put(d.id(), ins);
            pending.put(d.id(), ins.size());
            for (String p : ins) {
                consumers.computeIfAbsent(p, k -> new ArrayList<>()).add(d.id());
            }
        }
        List<String> ready = new ArrayList<>();
        pending.forEach((id, n) -> {
            if (n == 0) {
                ready.add(id);
            }
        });
        while (!ready.isEmpty()) {
            String id = ready.remove(ready.size() - 1);
            pending.remove(id);
            for (String c : consumers.getOrDefault(id, List.of())) {
                if (pending.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        if (pending.isEmpty()) {
            return List.of();
        }
        // every layer left waits for a producer that is also left: walking producers must come back round
        List<String> walk = new ArrayList<>();
        Map<String, Integer> seenAt = new HashMap<>();
        String cur = pending.keySet().iterator().next();
        while (!seenAt.containsKey(cur)) {
            seenAt.put(cur, walk.size());
            walk.add(cur);
            String next = null;
            for (String p : producers.get(cur)) {
                if (pending.containsKey(p)) {
                    next = p;
                    break;
                }
            }
            cur = next;
        }
        List<String> cycle = new ArrayList<>(walk.subList(seenAt.get(cur), walk.size()));
        Collections.reverse(cycle); // producers first
        // start at the layer that comes first in the file, so the message is stable
        List<String> order = docs.stream().map(LayerDoc::id).toList();
        int start = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (order.indexOf(cycle.get(i)) < order.indexOf(cycle.get(start))) {
                start = i;
            }
        }
        Collections.rotate(cycle, -start);
        return cycle;
    }

    static String label(LayerDoc d) {
        return "\"" + d.name() + "\" (id " + d.id() + ")";
    }

    private static String where(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 0) {
            return "";
        }
        return "at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? "the top level" : b.toString();
    }

    private static final Pattern MISSING = Pattern.compile("Missing (?:required )?creator property '([^']+)'");

    private static String mappingReason(JsonMappingException e) {
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            return e.getCause().getMessage();
        }
        String m = firstLine(e.getOriginalMessage());
        Matcher mm = MISSING.matcher(m);
        if (mm.find()) {
            return "the value \"" + mm.group(1) + "\" is missing";
        }
        if (e instanceof InvalidFormatException f) {
            return "\"" + f.getValue() + "\" is not a valid " + f.getTargetType().getSimpleName()
                    + (f.getTargetType().isEnum() ? " (one of " + Arrays.toString(f.getTargetType().getEnumConstants()) + ")" : "");
        }
        return m;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        // Jackson's "[Source: REDACTED (...); line: 3, column: 5]" → "[line: 3, column: 5]"
        return line.replaceAll("\\[Source: [^;\\]]*; ", "[");
    }

    private static String knownTypes() {
        JsonSubTypes st = LayerParams.class.getAnnotation(JsonSubTypes.class);
        Set<String> names = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (JsonSubTypes.Type t : st.value()) {
            if (names.add(t.name())) {
                out.add(t.name());
            }
        }
        return String.join(", ", out);
    }
}
