package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Subgraph}: standalone validation, flattening, exposed ports and nesting. */
class SubgraphTest {

  /** parse (String to Long) -> tag, exposing {@code in} and {@code out}. */
  private static Subgraph enrich() {
    return Subgraph.builder()
        .add("parse", Nodes.map(String.class, Long.class, Long::parseLong))
        .add("tag", Nodes.map(Long.class, Long.class, x -> x))
        .connect("parse.out", "tag.in")
        .exposeInput("in", "parse.in")
        .exposeOutput("out", "tag.out")
        .build();
  }

  /** Innermost level: x -> y. */
  private static Subgraph leaf() {
    return Subgraph.builder()
        .add("x", PortsNode.pass(Long.class))
        .add("y", PortsNode.pass(Long.class))
        .connect("x.out", "y.in")
        .exposeInput("in", "x.in")
        .exposeOutput("out", "y.out")
        .build();
  }

  /** Middle level: p -> inner (a leaf). */
  private static Subgraph middle() {
    return Subgraph.builder()
        .add("p", PortsNode.pass(Long.class))
        .add("inner", leaf())
        .connect("p.out", "inner.in")
        .exposeInput("in", "p.in")
        .exposeOutput("out", "inner.out")
        .build();
  }

  /** Outer level: mid (a middle) -> q; its input and output resolve two levels down and here. */
  private static Subgraph outer() {
    return Subgraph.builder()
        .add("mid", middle())
        .add("q", PortsNode.pass(Long.class))
        .connect("mid.out", "q.in")
        .exposeInput("in", "mid.in")
        .exposeOutput("out", "q.out")
        .build();
  }

  /**
   * Three levels of nesting between a source and a sink.
   *
   * <pre>
   * src -> top[ mid[ p -> inner[ x -> y ] ] -> q ] -> sink
   * </pre>
   */
  private static Graph threeLevels() {
    return Graph.builder("nested")
        .add("src", Nodes.range(0, 10))
        .add("top", outer())
        .add("sink", Nodes.sink(Long.class, x -> {}))
        .connect("src.out", "top.in")
        .connect("top.out", "sink.in")
        .build();
  }

  private static List<String> ids(Graph graph) {
    return graph.edges().stream().map(GraphEdge::id).toList();
  }

  private static List<String> problemsOf(Runnable build) {
    try {
      build.run();
    } catch (GraphValidationException e) {
      return e.problems();
    }
    return fail("expected build() to throw GraphValidationException");
  }

  @Test
  void build_standalone_listsExposedPortNames() {
    Subgraph subgraph = enrich();

    assertThat(subgraph.exposedInputs()).containsExactly("in");
    assertThat(subgraph.exposedOutputs()).containsExactly("out");
    assertThat(subgraph).hasToString("Subgraph[nodes=2, inputs=[in], outputs=[out]]");
  }

  @Test
  void add_subgraph_prefixesNodeNamesAndResolvesExposedPorts() {
    Graph graph =
        Graph.builder("orders")
            .add("words", Nodes.source(String.class, List.of("1")))
            .add("enrich", enrich())
            .add("print", Nodes.sink(Long.class, x -> {}))
            .connect("words.out", "enrich.in")
            .connect("enrich.out", "print.in")
            .build();

    assertThat(graph.nodes())
        .extracting(GraphNode::name)
        .containsExactly("words", "enrich/parse", "enrich/tag", "print");
    assertThat(ids(graph))
        .containsExactly(
            "enrich/parse.out->enrich/tag.in",
            "words.out->enrich/parse.in",
            "enrich/tag.out->print.in");
    assertThat(graph.edgesInto("enrich/parse").get(0).producer()).isEqualTo("words");
  }

  @Test
  void add_threeLevelsOfNesting_flattensNamesAndEdges() {
    Graph graph = threeLevels();

    assertThat(graph.topologicalOrder())
        .containsExactly("src", "top/mid/p", "top/mid/inner/x", "top/mid/inner/y", "top/q", "sink");
    assertThat(ids(graph))
        .containsExactly(
            "top/mid/inner/x.out->top/mid/inner/y.in",
            "top/mid/p.out->top/mid/inner/x.in",
            "top/mid/inner/y.out->top/q.in",
            "src.out->top/mid/p.in",
            "top/q.out->sink.in");
  }

  @Test
  void add_threeLevelsBuiltTwice_givesIdenticalIdsAndOrder() {
    Graph first = threeLevels();
    Graph second = threeLevels();

    assertThat(ids(second)).isEqualTo(ids(first));
    assertThat(second.topologicalOrder()).isEqualTo(first.topologicalOrder());
    assertThat(second.nodes())
        .extracting(GraphNode::name)
        .isEqualTo(first.nodes().stream().map(GraphNode::name).toList());
  }

  @Test
  void ingress_intoExposedInput_targetsTheInnerNode() {
    Graph graph =
        Graph.builder("orders")
            .add("enrich", enrich())
            .add("print", Nodes.sink(Long.class, x -> {}))
            .connect("enrich.out", "print.in")
            .ingress("orders", "enrich.in")
            .build();

    GraphIngress ingress = graph.ingresses().get(0);
    assertThat(ingress.id()).isEqualTo("ingress:orders->enrich/parse.in");
    assertThat(ingress.target()).isEqualTo("enrich/parse");
  }

  @Test
  void build_standaloneWithUnconnectedInnerInput_asksToExposeIt() {
    Runnable build =
        () ->
            Subgraph.builder()
                .add("parse", Nodes.map(String.class, Long.class, Long::parseLong))
                .add("tag", Nodes.map(Long.class, Long.class, x -> x))
                .connect("parse.out", "tag.in")
                .exposeOutput("out", "tag.out")
                .build();

    assertThatThrownBy(build::run)
        .isInstanceOf(GraphValidationException.class)
        .hasMessage(
            "subgraph is invalid (1 problem):\n"
                + " - input 'parse.in' (String) is not connected: connect an output to it, expose it"
                + " with exposeInput(...), or make the port PortSpec.optional()");
  }

  @Test
  void add_exposedInputNotConnectedOutside_isReportedUnderItsOuterName() {
    Runnable build =
        () ->
            Graph.builder("orders")
                .add("enrich", enrich())
                .add("print", Nodes.sink(Long.class, x -> {}))
                .connect("enrich.out", "print.in")
                .build();

    assertThat(problemsOf(build))
        .containsExactly(
            "input 'enrich.in' (String) is not connected: connect an output to it, declare it with"
                + " ingress(...), or make the port PortSpec.optional() (it is enrich/parse.in"
                + " inside the subgraph)");
  }

  @Test
  void add_nestedExposedInputNeitherConnectedNorExposed_isReportedInTheMiddleLevel() {
    Runnable build =
        () -> Subgraph.builder().add("inner", leaf()).exposeOutput("out", "inner.out").build();

    assertThat(problemsOf(build))
        .containsExactly(
            "input 'inner.in' (Long) is not connected: connect an output to it, expose it with"
                + " exposeInput(...), or make the port PortSpec.optional() (it is inner/x.in inside"
                + " the subgraph)");
  }

  @Test
  void add_optionalExposedInputLeftOpen_isAccepted() {
    Subgraph optional =
        Subgraph.builder()
            .add("join", PortsNode.create().in(PortSpec.of("side", Long.class).optional()))
            .exposeInput("side", "join.side")
            .build();

    assertThat(Graph.builder("g").add("opt", optional).build().nodes()).hasSize(1);
  }

  @Test
  void connect_incompatibleTypeAcrossTheBoundary_namesTheOuterPorts() {
    Runnable build =
        () ->
            Graph.builder("orders")
                .add("numbers", Nodes.range(0, 1))
                .add("enrich", enrich())
                .connect("numbers.out", "enrich.in")
                .build();

    assertThat(problemsOf(build))
        .containsExactly(
            "cannot connect numbers.out (java.lang.Long) to enrich.in (java.lang.String):"
                + " enrich.in accepts only String and its subtypes; insert a map node, e.g."
                + " Nodes.map(Long.class, String.class, ...), or change a port type");
  }

  @Test
  void connect_unknownExposedPort_listsTheExposedPorts() {
    Runnable build =
        () ->
            Graph.builder("orders")
                .add("words", Nodes.source(String.class, List.of("1")))
                .add("enrich", enrich())
                .connect("words.out", "enrich.input")
                .ingress("orders", "enrich.in")
                .build();

    assertThat(problemsOf(build))
        .containsExactly(
            "connect(\"words.out\", \"enrich.input\"): subgraph 'enrich' has no input 'input'; its"
                + " exposed inputs are [in]");
  }

  @Test
  void connect_fromSubgraphExposingNoOutputs_saysItExposesNone() {
    Subgraph sink =
        Subgraph.builder()
            .add("print", Nodes.sink(Long.class, x -> {}))
            .exposeInput("in", "print.in")
            .build();
    Runnable build =
        () ->
            Graph.builder("g")
                .add("src", Nodes.range(0, 1))
                .add("sink", sink)
                .connect("src.out", "sink.in")
                .connect("sink.out", "sink.in")
                .build();

    assertThat(problemsOf(build))
        .containsExactly(
            "connect(\"sink.out\", \"sink.in\"): subgraph 'sink' has no output 'out'; it exposes no"
                + " outputs");
  }

  @Test
  void connect_innerNodeFromOutside_explainsToExposeThePort() {
    Runnable build =
        () ->
            Graph.builder("orders")
                .add("enrich", enrich())
                .add("print", Nodes.sink(Long.class, x -> {}))
                .connect("enrich/tag.out", "print.in")
                .ingress("orders", "enrich.in")
                .build();

    assertThat(problemsOf(build))
        .contains(
            "connect(\"enrich/tag.out\", \"print.in\"): unknown node 'enrich/tag' (known nodes are"
                + " [enrich, print]): nodes inside a subgraph cannot be wired from outside; expose"
                + " the port with exposeInput(...) or exposeOutput(...) and use"
                + " \"subgraph.port\"");
  }

  @Test
  void exposeInput_duplicateName_isReported() {
    Runnable build =
        () ->
            Subgraph.builder()
                .add("a", PortsNode.pass(Long.class))
                .add("b", PortsNode.pass(Long.class))
                .exposeInput("in", "a.in")
                .exposeInput("in", "b.in")
                .build();

    assertThat(problemsOf(build))
        .containsExactly(
            "duplicate exposed input 'in': exposeInput(\"in\", ...) is called more than once;"
                + " rename one",
            "input 'b.in' (Long) is not connected: connect an output to it, expose it with"
                + " exposeInput(...), or make the port PortSpec.optional()");
  }

  @Test
  void exposeOutput_duplicateName_isReported() {
    Runnable build =
        () ->
            Subgraph.builder()
                .add("src", Nodes.range(0, 1))
                .exposeOutput("out", "src.out")
                .exposeOutput("out", "src.out")
                .build();

    assertThat(problemsOf(build))
        .containsExactly(
            "duplicate exposed output 'out': exposeOutput(\"out\", ...) is called more than once;"
                + " rename one");
  }

  @Test
  void exposeInput_unknownInnerPort_listsTheNodesInputs() {
    Runnable build =
        () ->
            Subgraph.builder()
                .add("a", PortsNode.pass(Long.class))
                .exposeInput("in", "a.input")
                .build();

    assertThat(problemsOf(build))
        .contains(
            "exposeInput(\"in\", \"a.input\"): node 'a' has no input 'input'; its inputs are"
                + " [in]");
  }

  @Test
  void exposeInput_unknownInnerNode_listsTheKnownNodes() {
    Runnable build =
        () -> Subgraph.builder().add("a", Nodes.range(0, 1)).exposeInput("in", "b.in").build();

    assertThat(problemsOf(build))
        .containsExactly(
            "exposeInput(\"in\", \"b.in\"): unknown node 'b' (known nodes are [a]): add it with"
                + " add(\"b\", ...) or fix the name");
  }

  @Test
  void exposeInput_ofAnOutput_isReported() {
    Runnable build =
        () ->
            Subgraph.builder()
                .add("a", PortsNode.pass(Long.class))
                .exposeInput("in", "a.out")
                .exposeInput("feed", "a.in")
                .build();

    assertThat(problemsOf(build))
        .containsExactly(
            "exposeInput(\"in\", \"a.out\"): 'a.out' is an output, but an input is expected here;"
                + " its inputs are [in]");
  }

  @Test
  void exposeOutput_ofAnInput_isReported() {
    Runnable build =
        () ->
            Subgraph.builder()
                .add("a", PortsNode.pass(Long.class))
                .exposeInput("in", "a.in")
                .exposeOutput("out", "a.in")
                .build();

    assertThat(problemsOf(build))
        .containsExactly(
            "exposeOutput(\"out\", \"a.in\"): 'a.in' is an input, but an output is expected here;"
                + " its outputs are [out]");
  }

  @Test
  void exposeInput_invalidName_isReported() {
    Runnable build =
        () ->
            Subgraph.builder()
                .add("a", PortsNode.pass(Long.class))
                .exposeInput("a.in", "a.in")
                .build();

    assertThat(problemsOf(build))
        .containsExactly(
            "exposed input name 'a.in' is invalid: use one or more letters, digits, '_' or '-'"
                + " ('.' separates node and port, '/' separates subgraph levels)");
  }

  @Test
  void build_emptySubgraph_isReported() {
    assertThatThrownBy(() -> Subgraph.builder().build())
        .hasMessage(
            "subgraph is invalid (1 problem):\n"
                + " - the subgraph has no nodes: add at least one with add(name, node)");
  }

  @Test
  void build_cycleInsideSubgraph_isReportedWhenTheSubgraphIsBuilt() {
    Runnable build =
        () ->
            Subgraph.builder()
                .add("a", PortsNode.pass(Long.class))
                .add("b", PortsNode.pass(Long.class))
                .connect("a.out", "b.in")
                .connect("b.out", "a.in")
                .build();

    assertThat(problemsOf(build))
        .singleElement()
        .asString()
        .startsWith("cycle a -> b -> a has no feedback edge");
  }

  /** a -> s[x -> y] -> a: the cycle only exists once the subgraph is wired. */
  @Test
  void build_cycleThroughSubgraph_isFoundOnTheFlattenedGraph() {
    Runnable build =
        () ->
            Graph.builder("g")
                .add("a", PortsNode.pass(Long.class))
                .add("s", leaf())
                .connect("a.out", "s.in")
                .connect("s.out", "a.in")
                .build();

    assertThat(problemsOf(build))
        .containsExactly(
            "cycle a -> s/x -> s/y -> a has no feedback edge: mark one of its edges as feedback,"
                + " e.g. declare the connection s.<its exposed output>->a.in with"
                + " EdgeSpec.defaults().asFeedback() or yourSpec.asFeedback()");
  }

  @Test
  void build_cycleThroughThreeLevels_isFound() {
    Runnable build =
        () ->
            Graph.builder("g")
                .add("a", PortsNode.pass(Long.class))
                .add("top", outer())
                .connect("a.out", "top.in")
                .connect("top.out", "a.in")
                .build();

    assertThat(problemsOf(build))
        .singleElement()
        .asString()
        .startsWith(
            "cycle a -> top/mid/p -> top/mid/inner/x -> top/mid/inner/y -> top/q -> a has no"
                + " feedback edge")
        .contains("e.g. declare the connection top.<its exposed output>->a.in with");
  }

  @Test
  void build_cycleThroughSubgraphWithFeedbackEdge_isAccepted() {
    Graph graph =
        Graph.builder("g")
            .add("a", PortsNode.pass(Long.class))
            .add("s", leaf())
            .connect("a.out", "s.in")
            .connect("s.out", "a.in", EdgeSpec.defaults().asFeedback())
            .build();

    assertThat(graph.topologicalOrder()).containsExactly("a", "s/x", "s/y");
  }

  @Test
  void add_sameSubgraphInstanceTwice_isRejectedForSharingNodes() {
    Subgraph shared = leaf();
    Runnable build =
        () ->
            Graph.builder("g")
                .add("src", Nodes.range(0, 1))
                .add("one", shared)
                .add("two", shared)
                .connect("src.out", "one.in")
                .connect("src.out", "two.in")
                .build();

    assertThat(problemsOf(build))
        .containsExactly(
            "the same Node instance is added as both 'one/x' and 'two/x': it would run in both"
                + " places at once, but a node's hooks must never overlap; create a separate"
                + " instance for each (a Subgraph added twice shares its nodes: build one per use)",
            "the same Node instance is added as both 'one/y' and 'two/y': it would run in both"
                + " places at once, but a node's hooks must never overlap; create a separate"
                + " instance for each (a Subgraph added twice shares its nodes: build one per use)");
  }
}
