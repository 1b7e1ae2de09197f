package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every build-time check of {@link GraphBuilder}, one problem at a time, asserting that each
 * message names the elements involved and says how to fix it.
 */
class GraphValidationTest {

  private static final String UNCONNECTED_SINK =
      "input 'sink.in' (Long) is not connected: connect an output to it, declare it with"
          + " ingress(...), or make the port PortSpec.optional()";

  /** A valid start: {@code src (Long) -> sink (Long)}, not yet connected. */
  private static GraphBuilder srcAndSink() {
    return Graph.builder("orders")
        .add("src", Nodes.range(0, 10))
        .add("sink", Nodes.sink(Long.class, x -> {}));
  }

  private static List<String> problemsOf(GraphBuilder builder) {
    try {
      builder.build();
    } catch (GraphValidationException e) {
      return e.problems();
    }
    return fail("expected build() to throw GraphValidationException");
  }

  @Test
  void build_twoProblems_messageHasGraphNameCountAndOneLineEach() {
    GraphBuilder builder = srcAndSink().add("src", Nodes.range(0, 1));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .isInstanceOf(GraphValidationException.class)
        .hasMessage(
            "graph 'orders' is invalid (2 problems):\n"
                + " - duplicate node name 'src': add(\"src\", ...) is called more than once; rename"
                + " one (references resolve to the first)\n"
                + " - "
                + UNCONNECTED_SINK);
  }

  @Test
  void build_oneProblem_saysProblemInTheSingular() {
    assertThatThrownBy(srcAndSink()::build)
        .hasMessage("graph 'orders' is invalid (1 problem):\n - " + UNCONNECTED_SINK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a.b", "a/b", "", "has space", "tab\t"})
  void add_invalidNodeName_isReportedWithTheAlphabet(String name) {
    assertThat(problemsOf(Graph.builder("g").add(name, Nodes.range(0, 1))))
        .containsExactly(
            "node name '"
                + name
                + "' is invalid: use one or more letters, digits, '_' or '-' ('.' separates node"
                + " and port, '/' separates subgraph levels)");
  }

  @Test
  void add_duplicateNodeName_isReportedAskingToRenameOne() {
    assertThat(
            problemsOf(
                Graph.builder("g").add("src", Nodes.range(0, 1)).add("src", Nodes.range(0, 1))))
        .containsExactly(
            "duplicate node name 'src': add(\"src\", ...) is called more than once; rename one"
                + " (references resolve to the first)");
  }

  @Test
  void builder_blankGraphName_isReported() {
    assertThat(problemsOf(Graph.builder(" ").add("src", Nodes.range(0, 1))))
        .containsExactly(
            "the graph name is blank: name the graph for logs and metrics, e.g."
                + " Graph.builder(\"orders\")");
  }

  @Test
  void build_noNodes_isReported() {
    assertThat(problemsOf(Graph.builder("empty")))
        .containsExactly("the graph has no nodes: add at least one with add(name, node)");
  }

  @Test
  void add_nodeWithTwoInputsOfOneName_isReported() {
    Node twice = PortsNode.create().in("in", Long.class).in("in", String.class);

    assertThat(problemsOf(Graph.builder("g").add("join", twice).ingress("feed", "join.in")))
        .containsExactly(
            "node 'join' declares two inputs named 'in': port names must be unique among a node's"
                + " inputs; rename one in its inputs()");
  }

  @Test
  void add_nodeWithTwoOutputsOfOneName_isReported() {
    Node twice = PortsNode.create().out("out", Long.class).out("out", Long.class);

    assertThat(problemsOf(Graph.builder("g").add("split", twice)))
        .containsExactly(
            "node 'split' declares two outputs named 'out': port names must be unique among a"
                + " node's outputs; rename one in its outputs()");
  }

  @ParameterizedTest
  @CsvSource({
    "src, src.out",
    "src., node.out",
    ".out, node.out",
    "src.out.x, node.out",
    "'', node.out"
  })
  void connect_malformedOutputReference_isReportedWithAnExample(String ref, String example) {
    assertThat(problemsOf(srcAndSink().connect(ref, "sink.in")))
        .containsExactly(
            "connect(\""
                + ref
                + "\", \"sink.in\"): '"
                + ref
                + "' is not a port reference: write it as \"node.port\", e.g. \""
                + example
                + "\"",
            UNCONNECTED_SINK);
  }

  @Test
  void connect_malformedInputReference_suggestsTheNodesInput() {
    assertThat(problemsOf(srcAndSink().connect("src.out", "sink")))
        .contains(
            "connect(\"src.out\", \"sink\"): 'sink' is not a port reference: write it as"
                + " \"node.port\", e.g. \"sink.in\"");
  }

  @Test
  void connect_unknownNode_listsTheKnownNodes() {
    assertThat(problemsOf(srcAndSink().connect("scr.out", "sink.in")))
        .containsExactly(
            "connect(\"scr.out\", \"sink.in\"): unknown node 'scr' (known nodes are [src, sink]):"
                + " add it with add(\"scr\", ...) or fix the name",
            UNCONNECTED_SINK);
  }

  @Test
  void connect_unknownOutputPort_listsTheNodesOutputs() {
    assertThat(problemsOf(srcAndSink().connect("src.output", "sink.in")))
        .contains(
            "connect(\"src.output\", \"sink.in\"): node 'src' has no output 'output'; its"
                + " outputs are [out]");
  }

  @Test
  void connect_unknownInputPort_listsTheNodesInputs() {
    assertThat(problemsOf(srcAndSink().connect("src.out", "sink.input")))
        .contains(
            "connect(\"src.out\", \"sink.input\"): node 'sink' has no input 'input'; its"
                + " inputs are [in]");
  }

  @Test
  void connect_fromNodeWithoutOutputs_saysItDeclaresNone() {
    assertThat(problemsOf(srcAndSink().connect("sink.out", "sink.in")))
        .contains(
            "connect(\"sink.out\", \"sink.in\"): node 'sink' has no output 'out'; it"
                + " declares no outputs");
  }

  @Test
  void connect_inputWhereOutputExpected_isReported() {
    GraphBuilder builder =
        srcAndSink()
            .add("map", Nodes.map(Long.class, Long.class, x -> x))
            .connect("src.out", "map.in")
            .connect("map.in", "sink.in");

    assertThat(problemsOf(builder))
        .containsExactly(
            "connect(\"map.in\", \"sink.in\"): 'map.in' is an input, but an output is expected"
                + " here; its outputs are [out]",
            UNCONNECTED_SINK);
  }

  @Test
  void connect_outputWhereInputExpected_isReported() {
    GraphBuilder builder =
        srcAndSink()
            .add("map", Nodes.map(Long.class, Long.class, x -> x))
            .connect("src.out", "map.out")
            .connect("map.out", "sink.in");

    assertThat(problemsOf(builder))
        .containsExactly(
            "connect(\"src.out\", \"map.out\"): 'map.out' is an output, but an input is expected"
                + " here; its inputs are [in]",
            "input 'map.in' (Long) is not connected: connect an output to it, declare it with"
                + " ingress(...), or make the port PortSpec.optional()");
  }

  @Test
  void connect_incompatibleTypes_namesBothPortsAndTypesAndSuggestsAMap() {
    GraphBuilder builder =
        Graph.builder("g")
            .add("words", Nodes.source(String.class, List.of("a")))
            .add("sink", Nodes.sink(Long.class, x -> {}))
            .connect("words.out", "sink.in");

    assertThat(problemsOf(builder))
        .containsExactly(
            "cannot connect words.out (java.lang.String) to sink.in (java.lang.Long): sink.in"
                + " accepts only Long and its subtypes; insert a map node, e.g."
                + " Nodes.map(String.class, Long.class, ...), or change a port type");
  }

  @Test
  void connect_subtypeIntoSupertypeAndAnythingIntoObject_isAccepted() {
    Graph graph =
        Graph.builder("g")
            .add("ints", Nodes.source(Integer.class, List.of(1)))
            .add("numbers", Nodes.sink(Number.class, x -> {}))
            .add("objects", Nodes.sink(Object.class, x -> {}))
            .add("primitive", Nodes.sink(int.class, x -> {}))
            .connect("ints.out", "numbers.in")
            .connect("ints.out", "objects.in")
            .connect("ints.out", "primitive.in")
            .build();

    assertThat(graph.edges()).hasSize(3);
  }

  @Test
  void connect_supertypeIntoSubtype_isRejected() {
    GraphBuilder builder =
        Graph.builder("g")
            .add("numbers", Nodes.source(Number.class, List.of(1)))
            .add("ints", Nodes.sink(Integer.class, x -> {}))
            .connect("numbers.out", "ints.in");

    assertThat(problemsOf(builder))
        .singleElement()
        .asString()
        .startsWith("cannot connect numbers.out (java.lang.Number) to ints.in (java.lang.Integer)");
  }

  @Test
  void connect_zeroCapacity_isReportedWithTheEdgeId() {
    assertThat(problemsOf(srcAndSink().connect("src.out", "sink.in", EdgeSpec.blocking(0))))
        .containsExactly(
            "edge src.out->sink.in: capacity 0 is invalid: an edge must hold at least 1 message"
                + " (use EdgeSpec.of(n >= 1, policy))");
  }

  @Test
  void connect_zeroControlCapacity_isReportedWithTheEdgeId() {
    EdgeSpec spec = EdgeSpec.defaults().withControlCapacity(0);

    assertThat(problemsOf(srcAndSink().connect("src.out", "sink.in", spec)))
        .containsExactly(
            "edge src.out->sink.in: control capacity 0 is invalid: the CONTROL lane must hold at"
                + " least 1 message");
  }

  @Test
  void connect_sameOutputToSameInputTwice_isReported() {
    GraphBuilder builder =
        srcAndSink()
            .connect("src.out", "sink.in")
            .connect("src.out", "sink.in", EdgeSpec.blocking(8));

    assertThat(problemsOf(builder))
        .containsExactly(
            "edge src.out->sink.in is declared twice (connect(\"src.out\", \"sink.in\")"
                + " repeats it): remove one; an output may feed several inputs and an input may be"
                + " fed by several outputs, but one output feeds one input at most once");
  }

  @Test
  void build_requiredInputUnconnected_saysHowToFixIt() {
    assertThat(problemsOf(srcAndSink())).containsExactly(UNCONNECTED_SINK);
  }

  /** a -> b -> c -> a with no feedback edge. */
  @Test
  void build_cycleWithoutFeedback_listsItsNodesInOrderAndSuggestsAnEdge() {
    GraphBuilder builder =
        Graph.builder("g")
            .add("a", PortsNode.pass(Long.class))
            .add("b", PortsNode.pass(Long.class))
            .add("c", PortsNode.pass(Long.class))
            .connect("a.out", "b.in")
            .connect("b.out", "c.in")
            .connect("c.out", "a.in");

    assertThat(problemsOf(builder))
        .containsExactly(
            "cycle a -> b -> c -> a has no feedback edge: mark one of its edges as feedback, e.g."
                + " declare c.out->a.in with EdgeSpec.defaults().asFeedback() or"
                + " yourSpec.asFeedback()");
  }

  @Test
  void build_selfLoopWithoutFeedback_isACycle() {
    GraphBuilder builder =
        Graph.builder("g").add("loop", PortsNode.pass(Long.class)).connect("loop.out", "loop.in");

    assertThat(problemsOf(builder))
        .containsExactly(
            "cycle loop -> loop has no feedback edge: mark one of its edges as feedback, e.g."
                + " declare loop.out->loop.in with EdgeSpec.defaults().asFeedback() or"
                + " yourSpec.asFeedback()");
  }

  @Test
  void build_twoSeparateCycles_reportsBoth() {
    GraphBuilder builder =
        Graph.builder("g")
            .add("a", PortsNode.pass(Long.class))
            .add("b", PortsNode.pass(Long.class))
            .add("x", PortsNode.pass(Long.class))
            .add("y", PortsNode.pass(Long.class))
            .connect("y.out", "x.in")
            .connect("x.out", "y.in")
            .connect("a.out", "b.in")
            .connect("b.out", "a.in");

    assertThat(problemsOf(builder))
        .extracting(p -> p.substring(0, p.indexOf(" has")))
        .containsExactly("cycle a -> b -> a", "cycle x -> y -> x");
  }

  /** a and b loop through a feedback edge; b and c loop without one, which is still an error. */
  @Test
  void build_feedbackOnOneCycleOnly_reportsTheOtherCycle() {
    GraphBuilder builder =
        Graph.builder("g")
            .add("a", PortsNode.pass(Long.class))
            .add("b", PortsNode.pass(Long.class))
            .add("c", PortsNode.pass(Long.class))
            .connect("a.out", "b.in")
            .connect("b.out", "a.in", EdgeSpec.defaults().asFeedback())
            .connect("b.out", "c.in")
            .connect("c.out", "b.in");

    assertThat(problemsOf(builder))
        .singleElement()
        .asString()
        .startsWith("cycle b -> c -> b has no feedback edge: ")
        .contains("declare c.out->b.in with");
  }

  /** a -> b -> a and a -> c -> a: one component, two cycles; the message names the whole loop. */
  @Test
  void build_componentWithSeveralCycles_namesTheWholeLoop() {
    GraphBuilder builder =
        Graph.builder("g")
            .add("a", PortsNode.pass(Long.class))
            .add("b", PortsNode.pass(Long.class))
            .add("c", PortsNode.pass(Long.class))
            .connect("a.out", "b.in")
            .connect("a.out", "c.in")
            .connect("b.out", "a.in")
            .connect("c.out", "a.in");

    assertThat(problemsOf(builder))
        .singleElement()
        .asString()
        .startsWith("cycle a -> b -> a has no feedback edge: ")
        .endsWith(
            " (it is part of a larger loop through [a, b, c]: every cycle there needs a feedback"
                + " edge)");
  }

  @Test
  void ingress_duplicateName_isReported() {
    GraphBuilder builder =
        srcAndSink()
            .connect("src.out", "sink.in")
            .ingress("orders", "sink.in")
            .ingress("orders", "sink.in");

    assertThat(problemsOf(builder))
        .containsExactly(
            "duplicate ingress name 'orders': ingress(\"orders\", ...) is called more than once;"
                + " rename one");
  }

  @Test
  void ingress_invalidName_isReported() {
    assertThat(problemsOf(srcAndSink().ingress("my orders", "sink.in")))
        .containsExactly(
            "ingress name 'my orders' is invalid: use one or more letters, digits, '_' or '-' ('.'"
                + " separates node and port, '/' separates subgraph levels)");
  }

  @Test
  void ingress_unknownTarget_isReportedAndItsInputStaysUnconnected() {
    assertThat(problemsOf(srcAndSink().ingress("orders", "snik.in")))
        .containsExactly(
            "ingress(\"orders\", \"snik.in\"): unknown node 'snik' (known nodes are [src, sink]):"
                + " add it with add(\"snik\", ...) or fix the name",
            UNCONNECTED_SINK);
  }

  @Test
  void ingress_targetIsAnOutput_isReported() {
    GraphBuilder builder = srcAndSink().connect("src.out", "sink.in").ingress("orders", "src.out");

    assertThat(problemsOf(builder))
        .containsExactly(
            "ingress(\"orders\", \"src.out\"): 'src.out' is an output, but an input is expected"
                + " here; it declares no inputs");
  }

  @Test
  void ingress_invalidSpec_isReportedWithTheIngressId() {
    GraphBuilder builder =
        srcAndSink()
            .connect("src.out", "sink.in")
            .ingress("orders", "sink.in", EdgeSpec.blocking(-1));

    assertThat(problemsOf(builder))
        .containsExactly(
            "ingress:orders->sink.in: capacity -1 is invalid: an edge must hold at least 1 message"
                + " (use EdgeSpec.of(n >= 1, policy))");
  }

  @Test
  void add_sameNodeInstanceTwice_isRejected() {
    Node shared = Nodes.map(Long.class, Long.class, x -> x);
    GraphBuilder builder =
        Graph.builder("g")
            .add("src", Nodes.range(0, 1))
            .add("a", shared)
            .add("b", shared)
            .connect("src.out", "a.in")
            .connect("src.out", "b.in");

    assertThat(problemsOf(builder))
        .containsExactly(
            "the same Node instance is added as both 'a' and 'b': it would run in both places at"
                + " once, but a node's hooks must never overlap; create a separate instance for"
                + " each");
  }

  @Test
  void build_manyMistakes_reportsEveryOneInOrder() {
    GraphBuilder builder =
        Graph.builder("g")
            .add("bad.name", Nodes.range(0, 1))
            .add("words", Nodes.source(String.class, List.of("a")))
            .add("sink", Nodes.sink(Long.class, x -> {}))
            .add("audit", Nodes.sink(Long.class, x -> {}))
            .add("loop", PortsNode.pass(Long.class))
            .connect("words.out", "sink.in")
            .connect("nope.out", "audit.in")
            .connect("loop.out", "loop.in");

    assertThat(problemsOf(builder))
        .hasSize(5)
        .satisfiesExactly(
            p -> assertThat(p).startsWith("node name 'bad.name' is invalid"),
            p -> assertThat(p).startsWith("cannot connect words.out (java.lang.String)"),
            p ->
                assertThat(p)
                    .startsWith("connect(\"nope.out\", \"audit.in\"): unknown node 'nope'"),
            p -> assertThat(p).startsWith("input 'audit.in' (Long) is not connected"),
            p -> assertThat(p).startsWith("cycle loop -> loop has no feedback edge"));
  }
}
