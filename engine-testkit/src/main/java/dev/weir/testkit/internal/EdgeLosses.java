package dev.weir.testkit.internal;

import dev.weir.core.EdgeStats;
import dev.weir.core.GraphIngress;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.testkit.RunRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Messages that edges between two nodes took out by policy (dropped, evicted, coalesced), summed
 * over every graph of a run, from each graph's final snapshot. Ingress edges are left out: their
 * losses are reported to the offering caller, which tracks them by id.
 *
 * @param dropped offers a DROP edge discarded
 * @param evicted queued messages a LATEST edge evicted
 * @param coalesced offers a COALESCE edge merged into a queued message
 */
public record EdgeLosses(long dropped, long evicted, long coalesced) {

  /** Sums the losses inside the graphs of a run. */
  public static EdgeLosses insideGraphs(List<RunRecord.Incarnation> incarnations) {
    long dropped = 0;
    long evicted = 0;
    long coalesced = 0;
    for (RunRecord.Incarnation inc : incarnations) {
      Set<String> ingress = new HashSet<>();
      for (GraphIngress in : inc.graph().ingresses()) {
        ingress.add(in.id());
      }
      for (GraphSnapshot.EdgeView edge : inc.afterStop().edges()) {
        if (ingress.contains(edge.id())) {
          continue;
        }
        EdgeStats s = edge.stats();
        dropped += s.dropped();
        evicted += s.evicted();
        coalesced += s.coalesced();
      }
    }
    return new EdgeLosses(dropped, evicted, coalesced);
  }

  /** All losses. */
  public long total() {
    return dropped + evicted + coalesced;
  }
}
