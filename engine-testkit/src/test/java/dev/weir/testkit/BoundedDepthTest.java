package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.core.OverflowPolicy;
import dev.weir.scheduler.GraphSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Checkers#boundedDepth()} on made-up readings: within capacity is VALID; one message over
 * on a COALESCE edge is the consumer's held message (documented, VALID and counted); anything else
 * over capacity, a high-water mark over it, or a CONTROL lane over its own is INVALID.
 */
class BoundedDepthTest {

  private static final String EDGE = "a.out->b.in";

  private static Graph graph(EdgeSpec spec) {
    return Graph.builder("g")
        .add("a", Nodes.ticker(Duration.ofSeconds(1)))
        .add("b", Nodes.sink(Long.class, x -> {}))
        .connect("a.out", "b.in", spec)
        .build();
  }

  private static GraphSnapshot reading(int depth, int controlDepth, long highWaterMark) {
    EdgeStats stats =
        new EdgeStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, depth, controlDepth, highWaterMark);
    return new GraphSnapshot(
        "g",
        0,
        List.of(),
        List.of(new GraphSnapshot.EdgeView(EDGE, stats)),
        Map.of(),
        0,
        0,
        List.of());
  }

  private static CheckResult check(EdgeSpec spec, GraphSnapshot snapshot) throws Exception {
    return Checkers.boundedDepth().check(graph(spec), snapshot);
  }

  @Test
  void withinCapacity_isValid() throws Exception {
    CheckResult r = check(EdgeSpec.blocking(4), reading(4, 16, 4));
    assertThat(r.verdict()).isEqualTo(Verdict.VALID);
    assertThat(r.detail()).isEqualTo("1 edges within capacity");
  }

  @Test
  void oneOverOnBlock_isInvalidNamingTheEdge() throws Exception {
    CheckResult r = check(EdgeSpec.blocking(4), reading(5, 0, 4));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.detail()).isEqualTo("edge 'a.out->b.in' (BLOCK, capacity 4) read depth 5");
  }

  @Test
  void oneOverOnCoalesce_isInvalid() throws Exception {
    // A merged message held back for CONTROL keeps its slot: capacity bounds COALESCE too.
    EdgeSpec coalesce = EdgeSpec.of(4, OverflowPolicy.<Long>coalesce((x, y) -> y));
    CheckResult r = check(coalesce, reading(5, 1, 4));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.detail()).isEqualTo("edge 'a.out->b.in' (COALESCE, capacity 4) read depth 5");
  }

  @Test
  void highWaterMarkOrControlLaneOver_isInvalid() throws Exception {
    assertThat(check(EdgeSpec.blocking(4), reading(1, 0, 5)).detail())
        .isEqualTo("edge 'a.out->b.in' (capacity 4) has high-water mark 5");
    assertThat(check(EdgeSpec.blocking(4).withControlCapacity(2), reading(0, 3, 0)).detail())
        .isEqualTo("edge 'a.out->b.in' (CONTROL lane 2) read CONTROL depth 3");
  }

  @Test
  void snapshotWithoutTheGraphsEdges_isUnknown() throws Exception {
    GraphSnapshot empty =
        new GraphSnapshot("g", 0, List.of(), List.of(), Map.of(), 0, 0, List.of());
    assertThat(check(EdgeSpec.blocking(4), empty).verdict()).isEqualTo(Verdict.UNKNOWN);
  }
}
