package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Happy paths of {@link GraphBuilder}: structure, ids, lookups, ingresses and {@code describe}. */
class GraphBuilderTest {

  private static Graph pipeline() {
    return Graph.builder("doubler")
        .add("numbers", Nodes.range(0, 10))
        .add("double", Nodes.map(Long.class, Long.class, x -> x * 2))
        .add("print", Nodes.sink(Long.class, x -> {}))
        .connect("numbers.out", "double.in")
        .connect("double.out", "print.in", EdgeSpec.of(64, OverflowPolicy.DROP))
        .build();
  }

  private static List<String> ids(List<GraphEdge> edges) {
    return edges.stream().map(GraphEdge::id).toList();
  }

  @Test
  void build_linearPipeline_listsNodesAndEdgesInDeclarationOrder() {
    Graph graph = pipeline();

    assertThat(graph.name()).isEqualTo("doubler");
    assertThat(graph.nodes())
        .extracting(GraphNode::name)
        .containsExactly("numbers", "double", "print");
    assertThat(ids(graph.edges()))
        .containsExactly("numbers.out->double.in", "double.out->print.in");
    assertThat(graph.ingresses()).isEmpty();
  }

  @Test
  void connect_withoutSpec_usesDefaults() {
    GraphEdge edge = pipeline().edges().get(0);

    assertThat(edge.spec()).isSameAs(EdgeSpec.defaults());
    assertThat(edge.spec().capacity()).isEqualTo(1024);
    assertThat(edge.spec().policy()).isEqualTo(OverflowPolicy.BLOCK);
    assertThat(edge.isFeedback()).isFalse();
  }

  @Test
  void connect_withSpec_keepsSpecAndEndpoints() {
    GraphEdge edge = pipeline().edges().get(1);

    assertThat(edge.producer()).isEqualTo("double");
    assertThat(edge.output().name()).isEqualTo("out");
    assertThat(edge.consumer()).isEqualTo("print");
    assertThat(edge.input().name()).isEqualTo("in");
    assertThat(edge.spec().capacity()).isEqualTo(64);
    assertThat(edge.spec().policy()).isEqualTo(OverflowPolicy.DROP);
  }

  @Test
  void graphNode_ports_areTheNodesOwnInstances() {
    Node map = Nodes.map(Long.class, Long.class, x -> x);
    Graph graph =
        Graph.builder("g")
            .add("src", Nodes.range(0, 1))
            .add("map", map)
            .connect("src.out", "map.in")
            .build();

    GraphNode node = graph.node("map").orElseThrow();
    assertThat(node.node()).isSameAs(map);
    assertThat(node.inputs().get(0)).isSameAs(map.inputs().get(0));
    assertThat(node.outputs().get(0)).isSameAs(map.outputs().get(0));
    assertThat(graph.edges().get(0).input()).isSameAs(map.inputs().get(0));
  }

  @Test
  void node_unknownName_isEmpty() {
    assertThat(pipeline().node("nope")).isEmpty();
  }

  @Test
  void edgesFromAndInto_fanOutAndFanIn_listEveryEdgeOfTheNode() {
    Graph graph =
        Graph.builder("fan")
            .add("src", Nodes.range(0, 1))
            .add("a", PortsNode.pass(Long.class))
            .add("b", PortsNode.pass(Long.class))
            .add("sink", Nodes.sink(Long.class, x -> {}))
            .connect("src.out", "a.in")
            .connect("src.out", "b.in")
            .connect("a.out", "sink.in")
            .connect("b.out", "sink.in")
            .build();

    assertThat(ids(graph.edgesFrom("src"))).containsExactly("src.out->a.in", "src.out->b.in");
    assertThat(ids(graph.edgesInto("sink"))).containsExactly("a.out->sink.in", "b.out->sink.in");
    assertThat(graph.edgesInto("src")).isEmpty();
    assertThat(graph.edgesFrom("sink")).isEmpty();
    // A built graph is immutable: its edge lists cannot be changed through these views.
    List<GraphEdge> from = graph.edgesFrom("src");
    List<GraphEdge> into = graph.edgesInto("sink");
    assertThatThrownBy(() -> from.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> into.clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void edgesFrom_unknownNode_throwsNamingTheGraphsNodes() {
    assertThatThrownBy(() -> pipeline().edgesFrom("dubble"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("graph 'doubler' has no node 'dubble'; its nodes are [numbers, double, print]");
  }

  @Test
  void topologicalOrder_nodesAddedBackwards_followsTheEdges() {
    Graph graph =
        Graph.builder("backwards")
            .add("print", Nodes.sink(Long.class, x -> {}))
            .add("double", Nodes.map(Long.class, Long.class, x -> x * 2))
            .add("numbers", Nodes.range(0, 10))
            .connect("numbers.out", "double.in")
            .connect("double.out", "print.in")
            .build();

    assertThat(graph.topologicalOrder()).containsExactly("numbers", "double", "print");
  }

  /**
   * The diamond; b and c are both ready after a, and the one added first goes first.
   *
   * <pre>
   *     a
   *    / \
   *   b   c
   *    \ /
   *     d
   * </pre>
   */
  @Test
  void topologicalOrder_diamond_breaksTiesByInsertionOrder() {
    assertThat(diamond("a", "b", "c", "d").topologicalOrder()).containsExactly("a", "b", "c", "d");
    assertThat(diamond("d", "c", "b", "a").topologicalOrder()).containsExactly("a", "c", "b", "d");
  }

  private static Graph diamond(String... insertionOrder) {
    GraphBuilder builder = Graph.builder("diamond");
    for (String name : insertionOrder) {
      builder.add(name, name.equals("a") ? Nodes.range(0, 1) : PortsNode.pass(Long.class));
    }
    return builder
        .connect("a.out", "b.in")
        .connect("a.out", "c.in")
        .connect("b.out", "d.in")
        .connect("c.out", "d.in")
        .build();
  }

  /** Two independent sources fan in to one sink: both are ready at once, in insertion order. */
  @Test
  void topologicalOrder_independentSources_keepInsertionOrder() {
    Graph graph =
        Graph.builder("fan-in")
            .add("sink", Nodes.sink(Long.class, x -> {}))
            .add("second", Nodes.range(0, 1))
            .add("first", Nodes.range(0, 1))
            .connect("first.out", "sink.in")
            .connect("second.out", "sink.in")
            .build();

    assertThat(graph.topologicalOrder()).containsExactly("second", "first", "sink");
  }

  /** a -> b -> c -> a, the last edge marked feedback: legal, and ignored by the order. */
  @Test
  void build_cycleWithFeedbackEdge_isAcceptedAndOrderIgnoresIt() {
    Graph graph =
        Graph.builder("loop")
            .add("c", PortsNode.pass(Long.class))
            .add("b", PortsNode.pass(Long.class))
            .add("a", PortsNode.pass(Long.class))
            .connect("a.out", "b.in")
            .connect("b.out", "c.in")
            .connect("c.out", "a.in", EdgeSpec.blocking(8).asFeedback())
            .build();

    assertThat(graph.topologicalOrder()).containsExactly("a", "b", "c");
    assertThat(graph.edges())
        .filteredOn(GraphEdge::isFeedback)
        .extracting(GraphEdge::id)
        .containsExactly("c.out->a.in");
  }

  @Test
  void build_selfLoopMarkedFeedback_isAccepted() {
    Graph graph =
        Graph.builder("retry")
            .add("src", Nodes.range(0, 1))
            .add("retry", PortsNode.pass(Long.class))
            .connect("src.out", "retry.in")
            .connect("retry.out", "retry.in", EdgeSpec.defaults().asFeedback())
            .build();

    assertThat(graph.topologicalOrder()).containsExactly("src", "retry");
    assertThat(ids(graph.edgesInto("retry")))
        .containsExactly("src.out->retry.in", "retry.out->retry.in");
  }

  @Test
  void ingress_onInput_isListedWithIdAndCountsAsConnection() {
    Graph graph =
        Graph.builder("orders")
            .add("double", Nodes.map(Long.class, Long.class, x -> x * 2))
            .add("print", Nodes.sink(Long.class, x -> {}))
            .connect("double.out", "print.in")
            .ingress("orders", "double.in", EdgeSpec.of(32, OverflowPolicy.FAIL))
            .build();

    GraphIngress ingress = graph.ingress("orders").orElseThrow();
    assertThat(graph.ingresses()).containsExactly(ingress);
    assertThat(ingress.name()).isEqualTo("orders");
    assertThat(ingress.id()).isEqualTo("ingress:orders->double.in");
    assertThat(ingress.target()).isEqualTo("double");
    assertThat(ingress.input().name()).isEqualTo("in");
    assertThat(ingress.spec().capacity()).isEqualTo(32);
    assertThat(graph.ingress("other")).isEmpty();
    assertThat(graph.edgesInto("double")).isEmpty();
  }

  @Test
  void build_optionalInputLeftUnconnected_isAccepted() {
    Node join =
        PortsNode.create().in("main", Long.class).in(PortSpec.of("side", Long.class).optional());
    Graph graph =
        Graph.builder("g")
            .add("src", Nodes.range(0, 1))
            .add("join", join)
            .connect("src.out", "join.main")
            .build();

    assertThat(graph.edges()).hasSize(1);
  }

  @Test
  void build_connectBeforeAdd_isAccepted() {
    Graph graph =
        Graph.builder("any-order")
            .connect("numbers.out", "print.in")
            .add("print", Nodes.sink(Long.class, x -> {}))
            .add("numbers", Nodes.range(0, 1))
            .build();

    assertThat(ids(graph.edges())).containsExactly("numbers.out->print.in");
  }

  @Test
  void build_sameDeclarationsTwice_givesIdenticalStructure() {
    Graph first = pipeline();
    Graph second = pipeline();

    assertThat(ids(second.edges())).isEqualTo(ids(first.edges()));
    assertThat(second.topologicalOrder()).isEqualTo(first.topologicalOrder());
    assertThat(second.describe()).isEqualTo(first.describe());
  }

  @Test
  void build_calledAgainAfterMoreDeclarations_includesThem() {
    GraphBuilder builder =
        Graph.builder("growing")
            .add("src", Nodes.range(0, 1))
            .add("a", Nodes.sink(Long.class, x -> {}))
            .connect("src.out", "a.in");
    Graph small = builder.build();
    Graph large =
        builder.add("b", Nodes.sink(Long.class, x -> {})).connect("src.out", "b.in").build();

    assertThat(small.nodes()).hasSize(2);
    assertThat(large.nodes()).hasSize(3);
  }

  @Test
  void graph_lists_areUnmodifiable() {
    Graph graph = pipeline();

    assertThatThrownBy(() -> graph.nodes().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> graph.edges().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> graph.edgesFrom("numbers").clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> graph.topologicalOrder().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  /** The README example: a subgraph, a lossy edge and an ingress. Pins the describe() format. */
  @Test
  void describe_readmeExample_isStable() {
    Subgraph enrich =
        Subgraph.builder()
            .add("parse", Nodes.map(Long.class, Long.class, x -> x))
            .add("tag", Nodes.map(Long.class, Long.class, x -> x))
            .connect("parse.out", "tag.in")
            .exposeInput("in", "parse.in")
            .exposeOutput("out", "tag.out")
            .build();
    Graph graph =
        Graph.builder("orders")
            .add("numbers", Nodes.range(0, 1000))
            .add("double", Nodes.map(Long.class, Long.class, x -> x * 2))
            .add("enrich", enrich)
            .add("print", Nodes.sink(Long.class, x -> {}))
            .connect("numbers.out", "double.in")
            .connect("double.out", "enrich.in", EdgeSpec.of(64, OverflowPolicy.DROP))
            .connect("enrich.out", "print.in")
            .ingress("orders", "double.in")
            .build();

    assertThat(graph.describe())
        .isEqualTo(
            """
            graph 'orders': 5 nodes, 4 edges, 1 ingress
            topological order: numbers, double, enrich/parse, enrich/tag, print
            edges:
              enrich/parse.out->enrich/tag.in capacity=1024 policy=BLOCK
              numbers.out->double.in capacity=1024 policy=BLOCK
              double.out->enrich/parse.in capacity=64 policy=DROP
              enrich/tag.out->print.in capacity=1024 policy=BLOCK
            ingresses:
              ingress:orders->double.in capacity=1024 policy=BLOCK""");
  }

  @Test
  void describe_feedbackEdgeAndNoIngress_marksFeedbackAndSaysNone() {
    Graph graph =
        Graph.builder("solo")
            .add("loop", PortsNode.pass(Long.class))
            .connect("loop.out", "loop.in", EdgeSpec.blocking(4).asFeedback())
            .build();

    assertThat(graph.describe())
        .isEqualTo(
            """
            graph 'solo': 1 node, 1 edge, 0 ingresses
            topological order: loop
            edges:
              loop.out->loop.in capacity=4 policy=BLOCK feedback
            ingresses: none""");
  }

  @Test
  void toString_namesGraphAndCounts() {
    assertThat(pipeline()).hasToString("Graph[doubler: 3 nodes, 2 edges]");
  }
}
