package dev.weir.stress.random;

import dev.weir.core.GraphEdge;
import dev.weir.core.GraphIngress;
import dev.weir.scheduler.ShutdownReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * "depth within capacity": no edge ever held more DATA messages than its capacity, nor more CONTROL
 * messages than its CONTROL lane: in every snapshot the watcher took while the case ran (depth,
 * CONTROL depth and high-water mark) and in the final report's high-water marks, which cover the
 * moments between snapshots. Guards against a policy that enqueues past the bound (a LATEST or
 * COALESCE race, a fallback that forgets the bound).
 */
final class DepthWithinCapacityCheck implements CaseCheck {

  @Override
  public String name() {
    return "depth within capacity";
  }

  @Override
  public @Nullable String violation(CaseRun run) {
    if (!run.depthViolations().isEmpty()) {
      return String.join("; ", run.depthViolations());
    }
    ShutdownReport report = run.report();
    if (report == null) {
      return null;
    }
    Map<String, Integer> capacities = new HashMap<>();
    for (GraphEdge e : run.graph().edges()) {
      capacities.put(e.id(), e.spec().capacity());
    }
    for (GraphIngress i : run.graph().ingresses()) {
      capacities.put(i.id(), i.spec().capacity());
    }
    List<String> over = new ArrayList<>();
    for (ShutdownReport.EdgeOutcome o : report.edges()) {
      Integer capacity = capacities.get(o.id());
      if (capacity != null && o.stats().highWaterMark() > capacity) {
        over.add(o.id() + " high-water mark " + o.stats().highWaterMark() + " > " + capacity);
      }
    }
    return over.isEmpty() ? null : String.join("; ", over);
  }
}
