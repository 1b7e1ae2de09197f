package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import org.junit.jupiter.api.Test;

/**
 * An output port with no edge is allowed (a node may have outputs a graph does not use), but what
 * is emitted there is not lost silently: it is counted per node in the snapshot and in the shutdown
 * report (and the first one is logged).
 */
class UnroutedOutputTest {

  @Test
  void messagesEmittedToAnUnconnectedOutputAreCountedInTheReport() throws Exception {
    Graph graph =
        Graph.builder("unrouted")
            .add("numbers", Nodes.range(0, 20))
            .add("tripled", Nodes.map(Long.class, Long.class, x -> x * 3))
            .connect("numbers.out", "tripled.in")
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(LONG)).isTrue();
      assertThat(SchedulerFixtures.node(running, "tripled").unrouted()).isEqualTo(20);
    } finally {
      report = running.stop(LONG);
    }
    assertThat(report.nodes())
        .contains(
            new ShutdownReport.NodeOutcome("tripled", NodeState.STOPPED, 20),
            new ShutdownReport.NodeOutcome("numbers", NodeState.STOPPED, 0));
    assertThat(report.render()).contains("node tripled: STOPPED, unrouted 20");
  }
}
