package dev.weir.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one builder's {@link Declarations} into a flat, validated structure: a {@link Graph} or a
 * {@link Subgraph}. It resolves every reference, flattens subgraphs (prefixing their node names),
 * and collects every problem before failing, so one {@link GraphValidationException} lists them
 * all.
 *
 * <p>Checks that only concern one level (names, references, types, required inputs) run on this
 * builder's own declarations; checks that span levels (duplicate node instances, duplicate edges,
 * cycles) run on the flattened result. A subgraph was validated when it was built, so whatever is
 * found here is new at this level.
 *
 * <p>Thread-safety: not thread-safe; one instance per {@code build()} call.
 */
final class Assembly {

  /** Same alphabet as port names: '.' separates node and port, '/' subgraph levels. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]+");

  private final Declarations declarations;
  private final boolean isGraph;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Element> elements = new LinkedHashMap<>();
  private final PortResolver resolver = new PortResolver(elements, problems);
  private final List<GraphNode> nodes = new ArrayList<>();
  private final List<GraphEdge> edges = new ArrayList<>();
  private final Set<String> edgeIds = new HashSet<>();

  /** Inputs fed at this level (connect, ingress, exposeInput); a subgraph's inner edges don't. */
  private final Set<Endpoint> fedHere = new HashSet<>();

  private final List<GraphIngress> ingresses = new ArrayList<>();
  private final Set<String> ingressNames = new HashSet<>();
  private final Map<String, Endpoint> exposedInputs = new LinkedHashMap<>();
  private final Map<String, Endpoint> exposedOutputs = new LinkedHashMap<>();

  private Assembly(Declarations declarations, boolean isGraph) {
    this.declarations = declarations;
    this.isGraph = isGraph;
  }

  /** Validates and builds a graph, or throws listing every problem. */
  static Graph graph(String name, Declarations declarations) {
    Assembly assembly = new Assembly(declarations, true);
    if (name.isBlank()) {
      assembly.problems.add(
          "the graph name is blank: name the graph for logs and metrics, e.g."
              + " Graph.builder(\"orders\")");
    }
    Adjacency adjacency = assembly.run();
    assembly.throwIfInvalid("graph '" + name + "'");
    return new Graph(
        name, assembly.nodes, assembly.edges, assembly.ingresses, TopologicalOrder.of(adjacency));
  }

  /** Validates and builds a subgraph, or throws listing every problem. */
  static Subgraph subgraph(Declarations declarations) {
    Assembly assembly = new Assembly(declarations, false);
    assembly.run();
    assembly.throwIfInvalid("subgraph");
    return new Subgraph(
        assembly.nodes, assembly.edges, assembly.exposedInputs, assembly.exposedOutputs);
  }

  private Adjacency run() {
    declarations.additions().forEach(this::add);
    if (declarations.additions().isEmpty()) {
      problems.add(
          (isGraph ? "the graph" : "the subgraph")
              + " has no nodes: add at least one with add(name, node)");
    }
    checkNodeInstances();
    declarations.connections().forEach(this::connect);
    declarations.ingresses().forEach(this::ingress);
    declarations.exposedInputs().forEach(e -> expose(e, PortDirection.INPUT));
    declarations.exposedOutputs().forEach(e -> expose(e, PortDirection.OUTPUT));
    checkRequiredInputs();
    Adjacency adjacency = new Adjacency(nodes, edges);
    problems.addAll(CycleFinder.unmarkedCycles(adjacency));
    return adjacency;
  }

  private void throwIfInvalid(String subject) {
    if (!problems.isEmpty()) {
      throw new GraphValidationException(subject, problems);
    }
  }

  private void add(Declarations.Addition addition) {
    String name = addition.name();
    checkName("node", name);
    Element element =
        addition.child() instanceof Subgraph subgraph
            ? Element.ofSubgraph(name, subgraph)
            : Element.ofNode(name, (Node) addition.child(), addition.options(), problems);
    if (elements.putIfAbsent(name, element) != null) {
      problems.add(
          "duplicate node name '"
              + name
              + "': add(\""
              + name
              + "\", ...) is called more than once; rename one (references resolve to the first)");
      return;
    }
    nodes.addAll(element.nodes());
    for (GraphEdge edge : element.edges()) {
      edges.add(edge);
      edgeIds.add(edge.id());
    }
  }

  /** A node's hooks must never overlap, and one instance in two places would run concurrently. */
  private void checkNodeInstances() {
    IdentityHashMap<Node, String> firstPlace = new IdentityHashMap<>();
    for (GraphNode node : nodes) {
      String first = firstPlace.putIfAbsent(node.node(), node.name());
      if (first != null) {
        boolean viaSubgraph = first.indexOf('/') >= 0 || node.name().indexOf('/') >= 0;
        problems.add(
            "the same Node instance is added as both '"
                + first
                + "' and '"
                + node.name()
                + "': it would run in both places at once, but a node's hooks must never overlap;"
                + " create a separate instance for each"
                + (viaSubgraph
                    ? " (a Subgraph added twice shares its nodes: build one per use)"
                    : ""));
      }
    }
  }

  private void connect(Declarations.Connection connection) {
    String context = call("connect", connection.output(), connection.input());
    Endpoint from = resolver.resolve(connection.output(), PortDirection.OUTPUT, context);
    Endpoint to = resolver.resolve(connection.input(), PortDirection.INPUT, context);
    if (from == null || to == null) {
      return;
    }
    if (!to.port().canReceiveFrom(from.port())) {
      problems.add(typeMismatch(connection, from.port(), to.port()));
    }
    GraphEdge edge = new GraphEdge(from, to, connection.spec());
    String specProblem = connection.spec().problem();
    if (specProblem != null) {
      problems.add("edge " + edge.id() + ": " + specProblem);
    }
    if (!edgeIds.add(edge.id())) {
      problems.add(
          "edge "
              + edge.id()
              + " is declared twice ("
              + context
              + " repeats it): remove one; an output may feed several inputs and an input may be"
              + " fed by several outputs, but one output feeds one input at most once");
      return;
    }
    edges.add(edge);
    fedHere.add(to);
  }

  private String typeMismatch(Declarations.Connection connection, PortSpec<?> out, PortSpec<?> in) {
    return "cannot connect "
        + connection.output()
        + " ("
        + out.type().getTypeName()
        + ") to "
        + connection.input()
        + " ("
        + in.type().getTypeName()
        + "): "
        + connection.input()
        + " accepts only "
        + in.type().getSimpleName()
        + " and its subtypes; insert a map node, e.g. Nodes.map("
        + out.type().getSimpleName()
        + ".class, "
        + in.type().getSimpleName()
        + ".class, ...), or change a port type";
  }

  private void ingress(Declarations.Ingress declared) {
    String context = call("ingress", declared.name(), declared.input());
    checkName("ingress", declared.name());
    boolean duplicate = !ingressNames.add(declared.name());
    if (duplicate) {
      problems.add(
          "duplicate ingress name '"
              + declared.name()
              + "': ingress(\""
              + declared.name()
              + "\", ...) is called more than once; rename one");
    }
    Endpoint target = resolver.resolve(declared.input(), PortDirection.INPUT, context);
    if (target == null || duplicate) {
      return;
    }
    GraphIngress ingress = new GraphIngress(declared.name(), target, declared.spec());
    String specProblem = declared.spec().problem();
    if (specProblem != null) {
      problems.add(ingress.id() + ": " + specProblem);
    }
    ingresses.add(ingress);
    fedHere.add(target);
  }

  private void expose(Declarations.Exposure exposure, PortDirection direction) {
    String method = direction == PortDirection.INPUT ? "exposeInput" : "exposeOutput";
    String context = call(method, exposure.name(), exposure.inner());
    checkName("exposed " + direction.word, exposure.name());
    Map<String, Endpoint> exposed =
        direction == PortDirection.INPUT ? exposedInputs : exposedOutputs;
    boolean duplicate = exposed.containsKey(exposure.name());
    if (duplicate) {
      problems.add(
          "duplicate exposed "
              + direction.word
              + " '"
              + exposure.name()
              + "': "
              + method
              + "(\""
              + exposure.name()
              + "\", ...) is called more than once; rename one");
    }
    Endpoint inner = resolver.resolve(exposure.inner(), direction, context);
    if (inner == null || duplicate) {
      return;
    }
    exposed.put(exposure.name(), inner);
    if (direction == PortDirection.INPUT) {
      // Fed from outside: the enclosing builder checks that it is connected there.
      fedHere.add(inner);
    }
  }

  private void checkRequiredInputs() {
    String declareIt = isGraph ? "declare it with ingress(...)" : "expose it with exposeInput(...)";
    for (Element element : elements.values()) {
      element
          .ports(PortDirection.INPUT)
          .forEach(
              (port, at) -> {
                if (at.port().isRequired() && !fedHere.contains(at)) {
                  problems.add(
                      "input '"
                          + element.name()
                          + "."
                          + port
                          + "' ("
                          + at.port().type().getSimpleName()
                          + ") is not connected: connect an output to it, "
                          + declareIt
                          + ", or make the port PortSpec.optional()"
                          + (element.isComposite()
                              ? " (it is " + at + " inside the subgraph)"
                              : ""));
                }
              });
    }
  }

  private void checkName(String what, String name) {
    if (!NAME.matcher(name).matches()) {
      problems.add(
          what
              + " name '"
              + name
              + "' is invalid: use one or more letters, digits, '_' or '-'"
              + " ('.' separates node and port, '/' separates subgraph levels)");
    }
  }

  private static String call(String method, String first, String second) {
    return method + "(\"" + first + "\", \"" + second + "\")";
  }
}
