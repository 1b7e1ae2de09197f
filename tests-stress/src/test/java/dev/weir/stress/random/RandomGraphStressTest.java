package dev.weir.stress.random;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testkit.junit.WeirTest;
import org.junit.jupiter.api.Test;

/**
 * Random graphs from a seed, everything at once: chains, diamonds, fan-out, fan-in, subgraphs
 * nested up to 20 deep and random DAGs; every overflow policy (keyed COALESCE with each fallback,
 * FAIL) at capacities 1 to 64; 1, 2 or 4 workers and several batch limits; ingresses fed by one to
 * three application threads each with DATA and CONTROL messages; nodes that throw under CONTINUE,
 * RESTART, STOP_NODE or STOP_GRAPH, and nodes that park their worker. Smoke scale runs 48 cases (at
 * most 20 s); nightly as many as fit 90 s (thousands).
 *
 * <p>Guards against whatever the fixed scenarios miss: each case must keep every {@link CaseCheck}
 * (clean stop, engine ledger, edge conservation, end-to-end conservation, FIFO per producer,
 * CONTROL before data, depth within capacity). A case that stops making progress is stopped, its
 * snapshot kept, and fails "clean stop".
 *
 * <p>Run it: {@code mvn -B -ntp -pl tests-stress -am verify -Dtest='RandomGraphStressTest'
 * -Dweir.scale=nightly}. A failure prints the case seed and the command that replays that case
 * alone ({@code -Dweir.random.case=<case seed>}); its folder under {@code
 * target/weir-reports/random-graphs/} holds the case, the failure, the snapshot and the report.
 */
@WeirTest
class RandomGraphStressTest {

  @Test
  void randomGraphs_keepEveryInvariant(long seed) throws InterruptedException {
    RandomGraphs.Summary summary =
        RandomGraphs.run(
            seed,
            RandomGraphs.Settings.current(),
            RandomGraphStressTest.class,
            "randomGraphs_keepEveryInvariant",
            model -> model);
    assertThat(summary.cases()).isPositive();
  }
}
