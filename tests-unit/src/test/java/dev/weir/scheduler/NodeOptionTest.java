package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.GraphValidationException;
import dev.weir.core.NodeOption;
import dev.weir.core.Nodes;
import dev.weir.core.Subgraph;
import dev.weir.scheduler.SchedulerFixtures.DeadLetterLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Error policy and priority given where a node is added ({@code add(name, node, options...)}): the
 * scheduler applies them, a setting by name on {@link Scheduler.Builder} wins, and the options it
 * cannot honour are refused naming the node.
 */
class NodeOptionTest {

  // ------------------------------------------------------------------ error policy

  /** {@code ingress in --> validate (throws on a negative reading) --> sink}. */
  private static Graph validating(String name, List<Long> seen, NodeOption... options) {
    return Graph.builder(name)
        .add("validate", Nodes.map(Long.class, Long.class, NodeOptionTest::checked), options)
        .add("sink", Nodes.sink(Long.class, seen::add))
        .ingress("in", "validate.in")
        .connect("validate.out", "sink.in")
        .build();
  }

  private static Long checked(Long reading) {
    if (reading < 0) {
      throw new IllegalArgumentException("negative reading " + reading);
    }
    return reading;
  }

  /** What a run of {@link #validating} shows after a bad reading (-1) then a good one (5). */
  private record Outcome(NodeState state, List<Long> seen, List<Object> failed) {}

  private static Outcome feedBadThenGood(
      Graph graph, List<Long> seen, String node, UnaryOperator<Scheduler.Builder> config)
      throws Exception {
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running =
        config.apply(SchedulerFixtures.scheduler(1, deadLetters)).build().start(graph);
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      in.put(-1L, LONG);
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      in.offer(5L);
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      return new Outcome(
          running.snapshot().node(node).state(),
          List.copyOf(seen),
          deadLetters.payloads(DeadLetter.Reason.NODE_FAILED));
    } finally {
      running.stop(LONG);
    }
  }

  @Test
  void add_withStopNode_nodeStopsAfterItsFirstFailure() throws Exception {
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    Outcome outcome =
        feedBadThenGood(
            validating("opt-stop-node", seen, ErrorPolicy.STOP_NODE), seen, "validate", b -> b);

    assertThat(outcome.state()).isEqualTo(NodeState.FAILED);
    assertThat(outcome.seen()).isEmpty();
    assertThat(outcome.failed()).containsExactly(-1L);
  }

  @Test
  void add_withoutOption_nodeKeepsRunningUnderTheDefaultContinue() throws Exception {
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    Outcome outcome = feedBadThenGood(validating("opt-default", seen), seen, "validate", b -> b);

    assertThat(outcome.state()).isNotEqualTo(NodeState.FAILED);
    assertThat(outcome.seen()).containsExactly(5L);
  }

  @Test
  void errorPolicyByName_overridesTheOptionTheNodeWasAddedWith() throws Exception {
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    Outcome outcome =
        feedBadThenGood(
            validating("opt-override", seen, ErrorPolicy.STOP_NODE),
            seen,
            "validate",
            b -> b.errorPolicy("validate", ErrorPolicy.CONTINUE));

    assertThat(outcome.state()).isNotEqualTo(NodeState.FAILED);
    assertThat(outcome.seen()).containsExactly(5L);
  }

  @Test
  void optionOnANodeInsideASubgraph_appliesToItsQualifiedName() throws Exception {
    Subgraph clean =
        Subgraph.builder()
            .add(
                "validate",
                Nodes.map(Long.class, Long.class, NodeOptionTest::checked),
                ErrorPolicy.STOP_NODE)
            .exposeInput("in", "validate.in")
            .exposeOutput("out", "validate.out")
            .build();
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    Graph graph =
        Graph.builder("opt-subgraph")
            .add("clean", clean)
            .add("sink", Nodes.sink(Long.class, seen::add))
            .ingress("in", "clean.in")
            .connect("clean.out", "sink.in")
            .build();
    assertThat(graph.node("clean/validate").orElseThrow().options())
        .containsExactly(ErrorPolicy.STOP_NODE);

    Outcome outcome = feedBadThenGood(graph, seen, "clean/validate", b -> b);

    assertThat(outcome.state()).isEqualTo(NodeState.FAILED);
    assertThat(outcome.seen()).isEmpty();
  }

  // ------------------------------------------------------------------ priority

  /**
   * The order in which two sinks receive a burst on one worker. {@code first} is fed first, so in
   * one band it is queued and served first; {@code urgent} is added with {@code urgentOptions}.
   *
   * <pre>
   * burst.a --> first
   * burst.b --> urgent
   * </pre>
   */
  private static List<String> deliveryOrder(
      String name, UnaryOperator<Scheduler.Builder> config, NodeOption... urgentOptions)
      throws Exception {
    int count = 10;
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    Graph graph =
        Graph.builder(name)
            .add("burst", new BandSchedulingTest.TwoOutputBurst(count))
            .add("first", Nodes.sink(Long.class, x -> order.add("first")))
            .add("urgent", Nodes.sink(Long.class, x -> order.add("urgent")), urgentOptions)
            .connect("burst.a", "first.in", EdgeSpec.blocking(count))
            .connect("burst.b", "urgent.in", EdgeSpec.blocking(count))
            .build();
    RunningGraph running =
        config
            .apply(Scheduler.builder().workers(1).clock(VirtualClock.start()))
            .build()
            .start(graph);
    try {
      assertThat(running.awaitCompletion(LONG)).as(() -> running.snapshot().render()).isTrue();
    } finally {
      running.stop(LONG);
    }
    assertThat(order).hasSize(2 * count);
    return order.subList(0, count);
  }

  @Test
  void add_withPriorityHigh_nodeIsServedBeforeNormalWorkQueuedEarlier() throws Exception {
    assertThat(deliveryOrder("opt-normal", b -> b)).containsOnly("first");

    assertThat(deliveryOrder("opt-high", b -> b, Priority.HIGH)).containsOnly("urgent");
  }

  @Test
  void priorityByName_overridesTheOptionTheNodeWasAddedWith() throws Exception {
    assertThat(
            deliveryOrder(
                "opt-high-overridden", b -> b.priority("urgent", Priority.LOW), Priority.HIGH))
        .containsOnly("first");
  }

  // ------------------------------------------------------------------ refusals

  @Test
  void add_twoOptionsOfOneType_buildFailsNamingTheNodeAndBoth() {
    GraphBuilder builder =
        Graph.builder("opt-twice")
            .add("numbers", Nodes.range(0, 1), Priority.HIGH, ErrorPolicy.STOP_NODE, Priority.LOW);

    assertThatThrownBy(builder::build)
        .isInstanceOf(GraphValidationException.class)
        .hasMessageContaining("node 'numbers' is given two Priority options (HIGH and LOW)");
  }

  @Test
  void add_twoErrorPoliciesInASubgraph_subgraphBuildFailsNamingTheNode() {
    assertThatThrownBy(
            () ->
                Subgraph.builder()
                    .add(
                        "numbers",
                        Nodes.range(0, 1),
                        ErrorPolicy.STOP_NODE,
                        ErrorPolicy.restart(1, LONG))
                    .exposeOutput("out", "numbers.out")
                    .build())
        .isInstanceOf(GraphValidationException.class)
        .hasMessageContaining("node 'numbers' is given two ErrorPolicy options (STOP_NODE and");
  }

  @Test
  void add_nullOption_isRejectedAtOnceNamingItsPosition() {
    GraphBuilder builder = Graph.builder("opt-null");

    assertThatThrownBy(() -> builder.add("numbers", Nodes.range(0, 1), Priority.HIGH, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("options[1] of node 'numbers'");
  }

  @Test
  void start_nodeAddedWithPriorityControl_isRefusedNamingTheNode() {
    Graph graph =
        Graph.builder("opt-control").add("numbers", Nodes.range(0, 1), Priority.CONTROL).build();

    assertThatThrownBy(() -> Scheduler.builder().build().start(graph))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node 'numbers'")
        .hasMessageContaining("Priority.CONTROL")
        .hasMessageContaining("HIGH");
  }

  /** An option meant for some other runtime. */
  private enum Parallelism implements NodeOption {
    FOUR
  }

  @Test
  void start_nodeAddedWithAnOptionTheSchedulerDoesNotRead_isRefusedNamingTheNodeAndOption() {
    Graph graph =
        Graph.builder("opt-foreign").add("numbers", Nodes.range(0, 1), Parallelism.FOUR).build();

    assertThatThrownBy(() -> Scheduler.builder().build().start(graph))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node 'numbers'")
        .hasMessageContaining(Parallelism.class.getName())
        .hasMessageContaining("reads ErrorPolicy and Priority");
  }
}
