package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphEdge;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.PortSpec;
import dev.weir.core.Subgraph;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.Priority;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three levels of subgraphs with exposed ports, wired from the outside by their outer names, run on
 * the scheduler like a flat graph; the flat edge ids are the same on every build.
 *
 * <pre>
 *   lines ───────┐    ┌ ingest ───────────────────────────────────────────────┐
 *                ├─in─┤ ┌ validate ──────────────────────────────────┐        │
 *   ingress raw ─┘    │ │ ┌ parse ───────────────────────┐           │        │
 *                     │ │ │ trim ──► toLong ──ok─────────┼─► check ──┼─► scale┼─out─────► results
 *                     │ │ │             └─────bad────────┼───────────┼────────┼─rejects─► rejects
 *                     │ │ └──────────────────────────────┘           │        │
 *                     │ └────────────────────────────────────────────┘        │
 *                     └───────────────────────────────────────────────────────┘
 *   trim strips, toLong parses (else "bad"), check keeps values below 900, scale multiplies by 3
 * </pre>
 */
class NestedSubgraphs3Test {

  private static final List<String> EDGE_IDS =
      List.of(
          "ingest/validate/parse/trim.out->ingest/validate/parse/toLong.in",
          "ingest/validate/parse/toLong.ok->ingest/validate/check.in",
          "ingest/validate/check.out->ingest/scale.in",
          "lines.out->ingest/validate/parse/trim.in",
          "ingest/scale.out->results.in",
          "ingest/validate/parse/toLong.bad->rejects.in");

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void build_repeated_givesTheSameFlatNamesAndEdgeIds() {
    Graph first = graph("nested", new ArrayList<>(), new ArrayList<>());
    Graph second = graph("nested", new ArrayList<>(), new ArrayList<>());
    assertThat(first.edges().stream().map(GraphEdge::id).toList())
        .containsExactlyInAnyOrderElementsOf(EDGE_IDS)
        .containsExactlyElementsOf(second.edges().stream().map(GraphEdge::id).toList());
    assertThat(first.topologicalOrder())
        .containsExactlyElementsOf(second.topologicalOrder())
        .containsExactlyInAnyOrder(
            "lines",
            "ingest/validate/parse/trim",
            "ingest/validate/parse/toLong",
            "ingest/validate/check",
            "ingest/scale",
            "results",
            "rejects");
    assertThat(first.ingress("raw").orElseThrow().id())
        .isEqualTo("ingress:raw->ingest/validate/parse/trim.in");
    assertThat(first.describe()).isEqualTo(second.describe());
  }

  @WorkerCounts
  void threeLevelsOfSubgraphs_runOnTheSchedulerLikeAFlatGraph(int workers) throws Exception {
    List<Long> results = Collections.synchronizedList(new ArrayList<>());
    List<String> rejects = Collections.synchronizedList(new ArrayList<>());
    Graph graph = graph("nested-" + workers, results, rejects);
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder()
            .workers(workers)
            .priority("ingest/validate/check", Priority.HIGH) // inner nodes by qualified name
            .deadLetters(dead)
            .build()
            .start(graph);
    ShutdownReport report;
    try {
      Ingress<String> raw = running.ingress("raw", String.class);
      for (String line : List.of(" 5", "oops", "1000 ")) {
        assertThat(raw.put(line, Duration.ofSeconds(10)).isEnqueued()).isTrue();
      }
      assertThat(running.awaitQuiescence(Duration.ofSeconds(60)))
          .as(running.snapshot().render())
          .isTrue();
    } finally {
      report = running.stop(Duration.ofSeconds(10));
    }
    GraphSnapshot after = running.snapshot();
    String context = after.render();

    List<Long> expected = new ArrayList<>();
    IntStream.range(0, 900).filter(i -> i % 10 != 3).forEach(i -> expected.add(3L * i));
    expected.add(15L);
    assertThat(results).as(context).containsExactlyInAnyOrderElementsOf(expected);
    List<String> expectedRejects = new ArrayList<>();
    IntStream.range(0, 1_000).filter(i -> i % 10 == 3).forEach(i -> expectedRejects.add("x" + i));
    expectedRejects.add("oops");
    assertThat(rejects).as(context).containsExactlyInAnyOrderElementsOf(expectedRejects);
    assertThat(after.edges().stream().map(GraphSnapshot.EdgeView::id))
        .as("the running graph uses the flat edge ids")
        .containsExactlyInAnyOrderElementsOf(
            concat(List.of("ingress:raw->ingest/validate/parse/trim.in"), EDGE_IDS));
    assertThat(after.edge("ingest/validate/parse/toLong.bad->rejects.in").delivered())
        .isEqualTo(101);
    assertThat(after.node("ingest/validate/parse/toLong").messages()).isEqualTo(1_003);
    assertThat(report.timedOut()).as(context).isFalse();
    assertThat(dead.count()).as(dead.describe()).isZero();
    Ledger.assertClosed(graph, after, report, dead, 0);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Builds everything from scratch: a node instance runs in one place only. */
  private static Graph graph(String name, List<Long> results, List<String> rejects) {
    Subgraph parse =
        Subgraph.builder()
            .add("trim", Nodes.map(String.class, String.class, String::strip))
            .add("toLong", new ToLong())
            .connect("trim.out", "toLong.in", EdgeSpec.blocking(16))
            .exposeInput("in", "trim.in")
            .exposeOutput("ok", "toLong.ok")
            .exposeOutput("bad", "toLong.bad")
            .build();
    Subgraph validate =
        Subgraph.builder()
            .add("parse", parse)
            .add("check", Nodes.filter(Long.class, x -> x < 900))
            .connect("parse.ok", "check.in", EdgeSpec.blocking(16))
            .exposeInput("in", "parse.in")
            .exposeOutput("out", "check.out")
            .exposeOutput("bad", "parse.bad")
            .build();
    Subgraph ingest =
        Subgraph.builder()
            .add("validate", validate)
            .add("scale", Nodes.map(Long.class, Long.class, x -> 3 * x))
            .connect("validate.out", "scale.in", EdgeSpec.blocking(16))
            .exposeInput("in", "validate.in")
            .exposeOutput("out", "scale.out")
            .exposeOutput("rejects", "validate.bad")
            .build();
    List<String> lines =
        IntStream.range(0, 1_000).mapToObj(i -> i % 10 == 3 ? "x" + i : " " + i + " ").toList();
    return Graph.builder(name)
        .add("lines", Nodes.source(String.class, lines))
        .add("ingest", ingest)
        .add("results", Nodes.sink(Long.class, results::add))
        .add("rejects", Nodes.sink(String.class, rejects::add))
        .connect("lines.out", "ingest.in", EdgeSpec.blocking(16))
        .connect("ingest.out", "results.in", EdgeSpec.blocking(16))
        .connect("ingest.rejects", "rejects.in", EdgeSpec.blocking(16))
        .ingress("raw", "ingest.in", EdgeSpec.blocking(4))
        .build();
  }

  /** Parses a line: numbers go to "ok", anything else to "bad". */
  static final class ToLong implements Node {
    private final PortSpec<String> in = PortSpec.of("in", String.class);
    private final PortSpec<Long> ok = PortSpec.of("ok", Long.class);
    private final PortSpec<String> bad = PortSpec.of("bad", String.class);

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(ok, bad);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      Message<String> line = in.cast(message);
      long value;
      try {
        value = Long.parseLong(line.payload());
      } catch (NumberFormatException e) {
        ctx.emit(bad, line);
        return;
      }
      ctx.emit(ok, line.withPayload(value));
    }
  }
}
