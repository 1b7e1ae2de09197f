package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.GraphValidationException;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.core.Subgraph;
import dev.weir.core.SubgraphBuilder;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graphs that cannot run are rejected by {@code build()} with one exception listing every problem,
 * each naming the element at fault and the fix; applying the fix gives a graph that builds and runs
 * on the scheduler.
 *
 * <pre>
 *   types:      numbers (Long) ──► print (String)               fix: numbers ─► format ─► print
 *   capacities: numbers ─B(0)─► double ─B(2^30+1)─► print, ingress capacity 0, CONTROL lane 0
 *   unwired:    numbers ──► double ──► print     audit.in (required) left unconnected
 *   cycles:     outer = [ mid = [ core = [ a ──► b ] ] ]   (three levels of subgraphs)
 *               numbers ─► outer.in;  outer.loop (b.out) ─► outer.back (a.back)  ← closes a cycle
 *               outer.seen (a.out) ─► sink                   fix: the closing edge asFeedback()
 * </pre>
 */
class InvalidGraphsTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @WorkerCounts
  void mismatchedPortTypes_areRejectedNamingBothPortsAndTypes_andTheFixRuns(int workers)
      throws Exception {
    GraphValidationException e =
        catchThrowableOfType(
            GraphValidationException.class,
            () ->
                Graph.builder("types")
                    .add("numbers", Nodes.range(0, 10))
                    .add("print", Nodes.sink(String.class, s -> {}))
                    .connect("numbers.out", "print.in")
                    .build());
    assertThat(e.problems())
        .singleElement()
        .isEqualTo(
            "cannot connect numbers.out (java.lang.Long) to print.in (java.lang.String):"
                + " print.in accepts only String and its subtypes; insert a map node, e.g."
                + " Nodes.map(Long.class, String.class, ...), or change a port type");
    assertThat(e).hasMessageStartingWith("graph 'types' is invalid (1 problem):");

    List<String> printed = Collections.synchronizedList(new ArrayList<>());
    Graph fixed =
        Graph.builder("types-fixed-" + workers)
            .add("numbers", Nodes.range(0, 10))
            .add("format", Nodes.map(Long.class, String.class, x -> "#" + x))
            .add("print", Nodes.sink(String.class, printed::add))
            .connect("numbers.out", "format.in")
            .connect("format.out", "print.in")
            .build();
    runToCompletion(fixed, workers);
    assertThat(printed).containsExactly("#0", "#1", "#2", "#3", "#4", "#5", "#6", "#7", "#8", "#9");
  }

  @Test
  void invalidCapacities_areAllReportedAtOnce_eachNamingItsEdge() {
    GraphValidationException e =
        catchThrowableOfType(
            GraphValidationException.class,
            () ->
                Graph.builder("capacities")
                    .add("numbers", Nodes.range(0, 10))
                    .add("double", Nodes.map(Long.class, Long.class, x -> 2 * x))
                    .add("print", Nodes.sink(Long.class, x -> {}))
                    .connect("numbers.out", "double.in", EdgeSpec.of(0, OverflowPolicy.BLOCK))
                    .connect(
                        "double.out",
                        "print.in",
                        EdgeSpec.of(EdgeSpec.MAX_CAPACITY + 1, OverflowPolicy.DROP))
                    .ingress("extra", "print.in", EdgeSpec.blocking(0))
                    .ingress("commands", "double.in", EdgeSpec.blocking(8).withControlCapacity(0))
                    .build());
    assertThat(e).hasMessageStartingWith("graph 'capacities' is invalid (4 problems):");
    assertThat(e.problems())
        .containsExactly(
            "edge numbers.out->double.in: capacity 0 is invalid: an edge must hold at least 1"
                + " message (use EdgeSpec.of(n >= 1, policy))",
            "edge double.out->print.in: capacity 1073741825 is too large: an edge holds at most"
                + " 1073741824 (2^30) messages and allocates its slots up front; choose a bound you"
                + " can afford",
            "ingress:extra->print.in: capacity 0 is invalid: an edge must hold at least 1 message"
                + " (use EdgeSpec.of(n >= 1, policy))",
            "ingress:commands->double.in: control capacity 0 is invalid: the CONTROL lane must hold"
                + " at least 1 message");
  }

  @WorkerCounts
  void unconnectedInputs_areRejectedWithTheWaysToFeedThem_andTheFixRuns(int workers)
      throws Exception {
    GraphValidationException e =
        catchThrowableOfType(
            GraphValidationException.class, () -> wired(false, x -> {}, x -> {}).build());
    assertThat(e.problems())
        .singleElement()
        .isEqualTo(
            "input 'audit.in' (Long) is not connected: connect an output to it, declare it with"
                + " ingress(...), or make the port PortSpec.optional()");

    GraphValidationException inner =
        catchThrowableOfType(
            GraphValidationException.class,
            () ->
                Subgraph.builder()
                    .add("parse", Nodes.map(String.class, Long.class, Long::parseLong))
                    .add("check", Nodes.filter(Long.class, x -> x >= 0))
                    .connect("parse.out", "check.in")
                    .exposeOutput("out", "check.out")
                    .build());
    assertThat(inner.problems())
        .singleElement()
        .isEqualTo(
            "input 'parse.in' (String) is not connected: connect an output to it, expose it with"
                + " exposeInput(...), or make the port PortSpec.optional()");

    GraphValidationException exposed =
        catchThrowableOfType(
            GraphValidationException.class,
            () ->
                Graph.builder("exposed")
                    .add(
                        "enrich",
                        Subgraph.builder()
                            .add("parse", Nodes.map(String.class, Long.class, Long::parseLong))
                            .exposeInput("text", "parse.in")
                            .exposeOutput("out", "parse.out")
                            .build())
                    .add("print", Nodes.sink(Long.class, x -> {}))
                    .connect("enrich.out", "print.in")
                    .build());
    assertThat(exposed.problems())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith("input 'enrich.text' (String) is not connected")
                    .contains("declare it with ingress(...)")
                    .endsWith("(it is enrich/parse.in inside the subgraph)"));

    List<Long> printed = Collections.synchronizedList(new ArrayList<>());
    List<Long> audited = Collections.synchronizedList(new ArrayList<>());
    runToCompletion(wired(true, printed::add, audited::add).build(), workers);
    List<Long> doubled = LongStream.range(0, 100).map(x -> 2 * x).boxed().toList();
    assertThat(printed).containsExactlyElementsOf(doubled);
    assertThat(audited).containsExactlyElementsOf(doubled);
  }

  @Test
  void cycleInsideANestedSubgraph_isRejectedWhenThatSubgraphIsBuilt() {
    GraphValidationException e =
        catchThrowableOfType(
            GraphValidationException.class,
            () ->
                Subgraph.builder()
                    .add("a", new Looper())
                    .add("b", new Decrement())
                    .connect("a.out", "b.in")
                    .connect("b.out", "a.back")
                    .exposeInput("in", "a.in")
                    .exposeOutput("seen", "a.out")
                    .build());
    assertThat(e.problems())
        .singleElement()
        .isEqualTo(
            "cycle a -> b -> a has no feedback edge: mark one of its edges as feedback, e.g."
                + " declare b.out->a.back with EdgeSpec.defaults().asFeedback() or"
                + " yourSpec.asFeedback()");
  }

  @WorkerCounts
  void cycleThroughThreeLevelsOfSubgraphs_isRejectedByGraphBuild_andTheFixRuns(int workers)
      throws Exception {
    GraphValidationException e =
        catchThrowableOfType(
            GraphValidationException.class,
            () -> loopGraph("loop", EdgeSpec.blocking(256), x -> {}).build());
    assertThat(e).hasMessageStartingWith("graph 'loop' is invalid (1 problem):");
    assertThat(e.problems())
        .singleElement()
        .isEqualTo(
            "cycle outer/mid/core/a -> outer/mid/core/b -> outer/mid/core/a has no feedback edge:"
                + " mark one of its edges as feedback, e.g. declare"
                + " outer/mid/core/b.out->outer/mid/core/a.back with"
                + " EdgeSpec.defaults().asFeedback() or yourSpec.asFeedback()");

    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    Graph fixed =
        loopGraph("loop-fixed-" + workers, EdgeSpec.blocking(256).asFeedback(), seen::add).build();
    assertThat(fixed.edges())
        .filteredOn(edge -> edge.isFeedback())
        .singleElement()
        .satisfies(
            edge -> assertThat(edge.id()).isEqualTo("outer/mid/core/b.out->outer/mid/core/a.back"));
    runToCompletion(fixed, workers);
    List<Long> expected = new ArrayList<>();
    for (long v = 0; v < 100; v++) {
      for (long x = v; x >= 0; x -= 10) {
        expected.add(x);
      }
    }
    assertThat(seen)
        .as("each value circulates, 10 less each lap, until it drops below 10")
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  private static GraphBuilder wired(boolean fixed, Consumer<Long> print, Consumer<Long> audit) {
    GraphBuilder builder =
        Graph.builder("wired")
            .add("numbers", Nodes.range(0, 100))
            .add("double", Nodes.map(Long.class, Long.class, x -> 2 * x))
            .add("print", Nodes.sink(Long.class, print::accept))
            .add("audit", Nodes.sink(Long.class, audit::accept))
            .connect("numbers.out", "double.in")
            .connect("double.out", "print.in");
    return fixed ? builder.connect("double.out", "audit.in") : builder;
  }

  /** numbers ─► outer.in; outer.loop ─► outer.back (spec); outer.seen ─► sink. */
  private static GraphBuilder loopGraph(String name, EdgeSpec closing, Consumer<Long> sink) {
    Subgraph core =
        Subgraph.builder()
            .add("a", new Looper())
            .add("b", new Decrement())
            .connect("a.out", "b.in", EdgeSpec.blocking(256))
            .exposeInput("in", "a.in")
            .exposeInput("back", "a.back")
            .exposeOutput("seen", "a.out")
            .exposeOutput("loop", "b.out")
            .build();
    SubgraphBuilder mid = Subgraph.builder().add("core", core);
    for (String in : List.of("in", "back")) {
      mid.exposeInput(in, "core." + in);
    }
    for (String out : List.of("seen", "loop")) {
      mid.exposeOutput(out, "core." + out);
    }
    SubgraphBuilder outer = Subgraph.builder().add("mid", mid.build());
    for (String in : List.of("in", "back")) {
      outer.exposeInput(in, "mid." + in);
    }
    for (String out : List.of("seen", "loop")) {
      outer.exposeOutput(out, "mid." + out);
    }
    return Graph.builder(name)
        .add("numbers", Nodes.range(0, 100))
        .add("outer", outer.build())
        .add("sink", Nodes.sink(Long.class, sink::accept))
        .connect("numbers.out", "outer.in", EdgeSpec.blocking(16))
        .connect("outer.loop", "outer.back", closing)
        .connect("outer.seen", "sink.in", EdgeSpec.blocking(16));
  }

  private static void runToCompletion(Graph graph, int workers) throws Exception {
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder().workers(workers).deadLetters(dead).build().start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(60)))
          .as("the fixed graph runs to completion\n%s", running.snapshot().render())
          .isTrue();
    } finally {
      report = running.stop(Duration.ofSeconds(10));
    }
    GraphSnapshot after = running.snapshot();
    assertThat(report.timedOut()).as(after.render()).isFalse();
    assertThat(dead.count()).as(dead.describe()).isZero();
    Ledger.assertClosed(graph, after, report, dead, 0);
  }

  /** Forwards what arrives on "in" or "back" to "out". */
  static final class Looper implements Node {
    private final PortSpec<Long> in = PortSpec.of("in", Long.class);
    private final PortSpec<Long> back = PortSpec.of("back", Long.class);
    private final PortSpec<Long> out = PortSpec.of("out", Long.class);

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in, back);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      ctx.emit(out, in.cast(message));
    }
  }

  /** Sends {@code x - 10} back while it is not negative. */
  static final class Decrement implements Node {
    private final PortSpec<Long> in = PortSpec.of("in", Long.class);
    private final PortSpec<Long> out = PortSpec.of("out", Long.class);

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      long x = in.cast(message).payload();
      if (x >= 10) {
        ctx.emit(out, x - 10);
      }
    }
  }
}
