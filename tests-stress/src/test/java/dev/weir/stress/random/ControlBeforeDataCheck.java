package dev.weir.stress.random;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * "control before data": a CONTROL message is delivered before any DATA message its producer sent
 * after it, on every edge and under every policy, including DATA merged by COALESCE into a message
 * queued before the CONTROL one (each merged part is checked against its own stream). Also: every
 * message arrives on the plane it was sent on. Guards against CONTROL starving behind a full data
 * lane, a merge that carries later data ahead of earlier CONTROL, and a CONTROL message demoted to
 * DATA on the way.
 */
final class ControlBeforeDataCheck implements CaseCheck {

  @Override
  public String name() {
    return "control before data";
  }

  @Override
  public @Nullable String violation(CaseRun run) {
    for (HopNode node : run.nodes()) {
      if (node.planeMismatches > 0) {
        return "node "
            + node.model().name()
            + " got "
            + node.planeMismatches
            + " messages on the"
            + " wrong plane";
      }
      Map<Integer, Integer> controlsSeen = new HashMap<>();
      int position = 0;
      for (Token t : node.received) {
        if (t.control()) {
          controlsSeen.merge(t.from(), 1, Integer::sum);
        } else {
          for (int p = 0; p < t.partFrom().length; p++) {
            int stream = t.partFrom()[p];
            int due = countBelow(run.controlSeqs(stream), t.partSeq()[p]);
            int seen = controlsSeen.getOrDefault(stream, 0);
            if (due > seen) {
              return String.format(
                  "node %s got DATA seq %d of stream %d (delivery #%d, %s) after only %d of the %d"
                      + " CONTROL messages that stream sent before it",
                  node.model().name(), t.partSeq()[p], stream, position, t, seen, due);
            }
          }
        }
        position++;
      }
    }
    return null;
  }

  /** How many of the ascending values are below a bound. */
  private static int countBelow(List<Long> ascending, long bound) {
    int lo = 0;
    int hi = ascending.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ascending.get(mid) < bound) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
