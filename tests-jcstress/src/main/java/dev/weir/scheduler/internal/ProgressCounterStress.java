package dev.weir.scheduler.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The count behind {@code RunningGraph.progress()}: each node's messages and ticks, written by the
 * activation running the node with single-writer opaque stores and summed by a reader on another
 * thread (see {@link NodeCounters#progress()}). A watchdog compares successive readings, so a
 * reading must never be lower than an earlier one on the same thread.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t ProgressCounterStress -m quick}
 * (after {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class ProgressCounterStress {

  private ProgressCounterStress() {}

  /**
   * Activations of two nodes, run one after another by a worker, count a message (node a), a
   * message (node b) and a tick (node a) while a watchdog reads the graph's progress twice. (Two
   * actors, not one per node: this machine's jcstress runs at most two.)
   *
   * <p>Results: r1 = the first reading, r2 = the second, r3 = 1 if the second was lower.
   */
  @JCStressTest
  @Description("progress(): two readings on one thread never go down.")
  @Outcome(
      id = "[0-3], [0-3], 0",
      expect = ACCEPTABLE,
      desc = "The second reading saw at least what the first saw.")
  @Outcome(id = ".*, .*, 1", expect = FORBIDDEN, desc = "Progress went backwards.")
  @Outcome(expect = FORBIDDEN, desc = "Unexpected.")
  @State
  public static class TwoReadings {
    private final NodeCounters a = new NodeCounters();
    private final NodeCounters b = new NodeCounters();

    /** The worker: node a takes a message, node b takes one, node a ticks. */
    @Actor
    public void worker() {
      a.increment(NodeCounters.MESSAGES);
      b.increment(NodeCounters.MESSAGES);
      a.increment(NodeCounters.TICKS);
    }

    /** The watchdog: two readings, summed in the order GraphRuntime sums them. */
    @Actor
    public void watchdog(III_Result r) {
      long first = a.progress() + b.progress();
      long second = a.progress() + b.progress();
      r.r1 = (int) first;
      r.r2 = (int) second;
      r.r3 = second < first ? 1 : 0;
    }
  }
}
