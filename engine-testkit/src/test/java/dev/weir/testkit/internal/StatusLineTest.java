package dev.weir.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeStats;
import dev.weir.scheduler.GraphSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status line's fields, from a hand-made snapshot. */
class StatusLineTest {

  private static GraphSnapshot.EdgeView edge(String id, int depth, long highWaterMark) {
    return new GraphSnapshot.EdgeView(
        id, new EdgeStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, depth, 0, highWaterMark));
  }

  @Test
  void format_namesElapsedRateHeapErrorsAndTheDeepestEdge() {
    GraphSnapshot snapshot =
        new GraphSnapshot(
            "g",
            0,
            List.of(),
            List.of(edge("a.out->b.in", 3, 9), edge("b.out->c.in", 12, 16)),
            Map.of(),
            0,
            0,
            List.of());

    String line =
        StatusLine.format("soak", Duration.ofSeconds(3_725), 1_000, 250.4, 3L << 20, 2, snapshot);

    assertThat(line)
        .isEqualTo(
            "[soak] 01:02:05 ops=1000 (250/s) heapAfterGc=3.0 MiB errors=2"
                + " deepest=b.out->c.in depth=12 hwm=16");
  }

  @Test
  void format_betweenGraphsAndBeforeTheFirstCollection_saysSo() {
    String line = StatusLine.format("soak", Duration.ZERO, 0, 0, -1, 0, null);

    assertThat(line).contains("heapAfterGc=n/a", "deepest=(no graph)");
  }
}
