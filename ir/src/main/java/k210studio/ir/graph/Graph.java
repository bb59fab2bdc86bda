package k210studio.ir.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import k210studio.ir.layer.Input;
import k210studio.ir.layer.LayerParams;

/**
 * The network: a directed acyclic graph of {@link Layer}s with stable ids. Each layer has an
 * ordered list of producers (its input ports, in order — order matters for Concatenate and
 * Subtract) and a single output tensor that any number of layers consume. Several inputs and
 * outputs are allowed; when no outputs are set explicitly, the layers nobody consumes are the outputs.
 *
 * <p>Mutations keep the graph acyclic and every edge attached to existing layers; each one
 * throws {@link GraphException} with a message for the user otherwise. The editor changes a
 * graph only through {@code k210studio.ir.edit} commands so that every change can be undone.
 */
public final class Graph {
    private String name;
    private final LinkedHashMap<String, Layer> layers = new LinkedHashMap<>();
    private final Map<String, List<String>> inputs = new HashMap<>();
    private final List<String> outputs = new ArrayList<>();
    private final Map<String, Position> positions = new HashMap<>();
    private int nextId = 1;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public Graph() {
        this("model");
    }

    public Graph(String name) {
        this.name = Objects.requireNonNull(name);
    }

    // ---------------------------------------------------------------- queries

    public String name() {
        return name;
    }

    public int size() {
        return layers.size();
    }

    public boolean contains(String id) {
        return layers.containsKey(id);
    }

    public Layer layer(String id) {
        Layer l = layers.get(id);
        if (l == null) {
            throw new GraphException("no layer with id '" + id + "'", id);
        }
        return l;
    }

    /** The layer with this Keras name, or null. */
    public Layer layerNamed(String layerName) {
        for (Layer l : layers.values()) {
            if (l.name().equals(layerName)) {
                return l;
            }
        }
        return null;
    }

    /** Layers in insertion order. */
    public List<Layer> layers() {
        return List.copyOf(layers.values());
    }

    public List<String> ids() {
        return List.copyOf(layers.keySet());
    }

    /** The producers feeding this layer's input ports, in port order. */
    public List<String> inputsOf(String id) {
        requireLayer(id);
        return List.copyOf(inputs.getOrDefault(id, List.of()));
    }

    /** Layers that read this layer's output, in insertion order. */
    public List<String> consumersOf(String id) {
        requireLayer(id);
        List<String> out = new ArrayList<>();
        for (String other : layers.keySet()) {
            if (inputs.getOrDefault(other, List.of()).contains(id)) {
                out.add(other);
            }
        }
        return out;
    }

    /** Model inputs: every {@link Input} layer, in insertion order. */
    public List<String> inputIds() {
        List<String> out = new ArrayList<>();
        for (Layer l : layers.values()) {
            if (l.params() instanceof Input) {
                out.add(l.id());
            }
        }
        return out;
    }

    /** Model outputs: the explicit list if set, else every layer without consumers. */
    public List<String> outputIds() {
        if (!outputs.isEmpty()) {
            return List.copyOf(outputs);
        }
        Set<String> consumed = new HashSet<>();
        inputs.values().forEach(consumed::addAll);
        List<String> out = new ArrayList<>();
        for (String id : layers.keySet()) {
            if (!consumed.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** The explicitly set outputs (empty when the default "layers without consumers" applies). */
    public List<String> explicitOutputs() {
        return List.copyOf(outputs);
    }

    public Position position(String id) {
        return positions.get(id);
    }

    /**
     * Layers in an order where each comes after all its producers; ties keep insertion order.
     *
     * @throws GraphException naming a layer on the cycle if the graph has one
     */
    public List<String> topologicalOrder() {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (String id : layers.keySet()) {
            List<String> ins = inputs.getOrDefault(id, List.of());
            pending.put(id, ins.size());
            for (String p : ins) {
                consumers.computeIfAbsent(p, k -> new ArrayList<>()).add(id);
            }
        }
        Map<String, Integer> rank = new HashMap<>();
        int r = 0;
        for (String id : layers.keySet()) {
            rank.put(id, r++);
        }
        java.util.PriorityQueue<String> ready = new java.util.PriorityQueue<>((a, b) -> Integer.compare(rank.get(a), rank.get(b)));
        pending.forEach((id, n) -> {
            if (n == 0) {
                ready.add(id);
            }
        });
        List<String> order = new ArrayList<>(layers.size());
        while (!ready.isEmpty()) {
            String id = ready.poll();
            order.add(id);
            for (String c : consumers.getOrDefault(id, List.of())) {
                if (pending.merge(c, -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        if (order.size() != layers.size()) {
            String onCycle = layers.keySet().stream().filter(id -> !order.contains(id)).findFirst().orElseThrow();
            throw new GraphException("the network has a cycle through layer '" + layer(onCycle).name() + "'", onCycle);
        }
        return order;
    }

    /**
     * Structural problems that make the graph unusable for evaluation or export: layers with
     * too few or too many inputs, no Input layer, a cycle. Empty when the graph is well formed.
     */
    public List<GraphException> problems() {
        List<GraphException> out = new ArrayList<>();
        if (inputIds().isEmpty() && !layers.isEmpty()) {
            out.add(new GraphException("the network has no Input layer"));
        }
        for (Layer l : layers.values()) {
            int n = inputs.getOrDefault(l.id(), List.of()).size();
            LayerParams p = l.params();
            if (n < p.minInputs()) {
                out.add(new GraphException(l.name() + " (" + p.kerasName() + ") needs " + (p.minInputs() == 1 ? "an input" : "at least " + p.minInputs() + " inputs") + ", has " + n, l.id()));
            } else if (n > p.maxInputs()) {
                out.add(new GraphException(l.name() + " (" + p.kerasName() + ") takes " + (p.maxInputs() == 0 ? "no input" : "at most " + p.maxInputs() + " input(s)") + ", has " + n, l.id()));
            }
        }
        try {
            topologicalOrder();
        } catch (GraphException e) {
            out.add(e);
        }
        return out;
    }

    // ---------------------------------------------------------------- mutations

    /** A fresh id not used in this graph. */
    public String newId() {
        String id;
        do {
            id = "L" + nextId++;
        } while (layers.containsKey(id));
        return id;
    }

    /** A Keras-style unique name from a base: "conv2d", "conv2d_1", ... */
    public String uniqueName(String base) {
        Set<String> names = new HashSet<>();
        layers.values().forEach(l -> names.add(l.name()));
        if (!names.contains(base)) {
            return base;
        }
        for (int i = 1; ; i++) {
            if (!names.contains(base + "_" + i)) {
                return base + "_" + i;
            }
        }
    }

    /** Adds a layer (no edges). Its id must be new. */
    public void addLayer(Layer layer) {
        addLayer(layer, layers.size());
    }

    /** Adds a layer at a position of the insertion order (used by undo to restore order exactly). */
    public void addLayer(Layer layer, int orderIndex) {
        if (layers.containsKey(layer.id())) {
            throw new GraphException("a layer with id '" + layer.id() + "' already exists", layer.id());
        }
        List<Map.Entry<String, Layer>> entries = new ArrayList<>(layers.entrySet());
        int at = Math.max(0, Math.min(orderIndex, entries.size()));
        entries.add(at, Map.entry(layer.id(), layer));
        layers.clear();
        entries.forEach(e -> layers.put(e.getKey(), e.getValue()));
        bumpIdCounter(layer.id());
        changed();
    }

    /** Convenience for building graphs in code: adds a layer fed by the given producers, returns its id. */
    public String add(String layerName, LayerParams params, String... producers) {
        return add(layerName, params, Map.of(), producers);
    }

    public String add(String layerName, LayerParams params, Map<String, k210studio.ir.tensor.Tensor> weights, String... producers) {
        String id = newId();
        addLayer(new Layer(id, uniqueName(layerName), params, weights));
        for (String p : producers) {
            connect(p, id);
        }
        return id;
    }

    /** Insertion index of a layer. */
    public int orderIndex(String id) {
        requireLayer(id);
        int i = 0;
        for (String k : layers.keySet()) {
            if (k.equals(id)) {
                return i;
            }
            i++;
        }
        throw new IllegalStateException();
    }

    /** Removes a layer and every edge touching it; removes it from the explicit outputs too. */
    public void removeLayer(String id) {
        requireLayer(id);
        layers.remove(id);
        inputs.remove(id);
        for (List<String> ins : inputs.values()) {
            ins.removeIf(id::equals);
        }
        outputs.remove(id);
        positions.remove(id);
        changed();
    }

    /** Replaces a layer (same id) with new parameters, name, weights or notes. */
    public void replaceLayer(Layer layer) {
        requireLayer(layer.id());
        layers.put(layer.id(), layer);
        changed();
    }

    /** Appends {@code from} as the last input port of {@code to}. */
    public void connect(String from, String to) {
        connect(from, to, inputs.getOrDefault(to, List.of()).size());
    }

    /**
     * Makes {@code from} feed input port {@code port} of {@code to} (later ports shift up).
     *
     * @throws GraphException if a layer is missing, the edge would close a cycle, or the target takes no more inputs
     */
    public void connect(String from, String to, int port) {
        requireLayer(from);
        requireLayer(to);
        if (from.equals(to)) {
            throw new GraphException("a layer cannot feed itself (" + layer(to).name() + ")", to);
        }
        if (reaches(to, from)) {
            throw new GraphException("connecting " + layer(from).name() + " → " + layer(to).name()
                    + " would make a cycle: " + layer(to).name() + " already feeds " + layer(from).name(), to);
        }
        List<String> ins = inputs.computeIfAbsent(to, k -> new ArrayList<>());
        LayerParams p = layer(to).params();
        if (ins.size() >= p.maxInputs()) {
            throw new GraphException(layer(to).name() + " (" + p.kerasName() + ") takes "
                    + (p.maxInputs() == 0 ? "no input" : p.maxInputs() == 1 ? "one input" : "at most " + p.maxInputs() + " inputs"), to);
        }
        if (port < 0 || port > ins.size()) {
            throw new GraphException("input port " + port + " does not exist on " + layer(to).name(), to);
        }
        ins.add(port, from);
        changed();
    }

    /** Removes the edge into port {@code port} of {@code to}; returns the producer it came from. */
    public String disconnect(String to, int port) {
        requireLayer(to);
        List<String> ins = inputs.getOrDefault(to, new ArrayList<>());
        if (port < 0 || port >= ins.size()) {
            throw new GraphException(layer(to).name() + " has no input on port " + port, to);
        }
        String from = ins.remove(port);
        changed();
        return from;
    }

    /** Port index at which {@code from} feeds {@code to}, or −1. */
    public int portOf(String from, String to) {
        return inputs.getOrDefault(to, List.of()).indexOf(from);
    }

    public void setOutputs(List<String> ids) {
        for (String id : ids) {
            requireLayer(id);
        }
        outputs.clear();
        outputs.addAll(ids);
        changed();
    }

    public void setPosition(String id, Position p) {
        requireLayer(id);
        if (p == null) {
            positions.remove(id);
        } else {
            positions.put(id, p);
        }
        changed();
    }

    public void setName(String newName) {
        this.name = Objects.requireNonNull(newName);
        changed();
    }

    // ---------------------------------------------------------------- listeners, copies

    /** Called after every mutation (on the mutating thread). */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /** A deep copy of the structure (layers are immutable and shared); listeners are not copied. */
    public Graph copy() {
        Graph g = new Graph(name);
        g.layers.putAll(layers);
        inputs.forEach((k, v) -> g.inputs.put(k, new ArrayList<>(v)));
        g.outputs.addAll(outputs);
        g.positions.putAll(positions);
        g.nextId = nextId;
        return g;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Graph g)) {
            return false;
        }
        return name.equals(g.name)
                && new ArrayList<>(layers.entrySet()).equals(new ArrayList<>(g.layers.entrySet()))
                && normalizedInputs().equals(g.normalizedInputs())
                && outputs.equals(g.outputs)
                && positions.equals(g.positions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, layers.keySet(), outputs);
    }

    @Override
    public String toString() {
        return "Graph[" + name + ", " + layers.size() + " layers]";
    }

    private Map<String, List<String>> normalizedInputs() {
        Map<String, List<String>> m = new HashMap<>();
        inputs.forEach((k, v) -> {
            if (!v.isEmpty()) {
                m.put(k, v);
            }
        });
        return m;
    }

    private boolean reaches(String start, String target) {
        // does a path start → ... → target exist? (follow consumers)
        Map<String, List<String>> consumers = new HashMap<>();
        inputs.forEach((to, froms) -> froms.forEach(f -> consumers.computeIfAbsent(f, k -> new ArrayList<>()).add(to)));
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (id.equals(target)) {
                return true;
            }
            if (seen.add(id)) {
                todo.addAll(consumers.getOrDefault(id, Collections.emptyList()));
            }
        }
        return false;
    }

    private void requireLayer(String id) {
        if (!layers.containsKey(id)) {
            throw new GraphException("no layer with id '" + id + "' (an edge must join two existing layers)", id);
        }
    }

    private void bumpIdCounter(String id) {
        if (id.startsWith("L")) {
            try {
                nextId = Math.max(nextId, Integer.parseInt(id.substring(1)) + 1);
            } catch (NumberFormatException ignored) {
                // ids not of the form L<n> do not affect the counter
            }
        }
    }

    private void changed() {
        for (Runnable r : listeners) {
            r.run();
        }
    }
}
