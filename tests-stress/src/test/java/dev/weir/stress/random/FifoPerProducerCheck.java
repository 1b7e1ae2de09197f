package dev.weir.stress.random;

import dev.weir.core.EdgeSpec;
import dev.weir.core.OverflowPolicy;
import dev.weir.stress.random.CaseModel.EdgeModel;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * "fifo per producer": every node receives each producer's messages in the order the producer
 * emitted them, DATA and CONTROL each in their own order (CONTROL may overtake DATA, never the
 * reverse order within a plane), whatever the policy: dropping, evicting or merging removes
 * messages from the sequence but never reorders what is left. Inside a merged token the merged-in
 * parts keep their stream's order too, except on keyed COALESCE edges, whose documented semantics
 * merge a later payload into an earlier queued message of the same key. Guards against reordering
 * by the edges, by an outbox that flushes out of order, or by two workers running one node.
 */
final class FifoPerProducerCheck implements CaseCheck {

  @Override
  public String name() {
    return "fifo per producer";
  }

  @Override
  public @Nullable String violation(CaseRun run) {
    for (HopNode node : run.nodes()) {
      Map<Integer, Long> lastData = new HashMap<>();
      Map<Integer, Long> lastControl = new HashMap<>();
      Map<Integer, Long> lastPart = new HashMap<>();
      int position = 0;
      for (Token t : node.received) {
        Map<Integer, Long> last = t.control() ? lastControl : lastData;
        Long previous = last.put(t.from(), t.seq());
        if (previous != null && previous >= t.seq()) {
          return String.format(
              "node %s got %s from stream %d after seq %d (delivery #%d): out of order",
              node.model().name(), t, t.from(), previous, position);
        }
        if (!t.control() && !keyed(run, t.from(), node.model().index())) {
          for (int p = 0; p < t.partFrom().length; p++) {
            Long before = lastPart.put(t.partFrom()[p], t.partSeq()[p]);
            if (before != null && before >= t.partSeq()[p]) {
              return String.format(
                  "node %s got a token merging seq %d of stream %d after seq %d of that stream"
                      + " (delivery #%d, %s): out of order",
                  node.model().name(), t.partSeq()[p], t.partFrom()[p], before, position, t);
            }
          }
        }
        position++;
      }
    }
    return null;
  }

  /** Whether the edge a stream reaches a node through is keyed COALESCE. */
  private static boolean keyed(CaseRun run, int stream, int consumer) {
    EdgeSpec spec = null;
    if (stream < 0) {
      spec = run.ingressOfStream(stream).spec();
    } else {
      for (EdgeModel e : run.model().edges()) {
        if (e.from() == stream && e.to() == consumer) {
          spec = e.spec();
        }
      }
    }
    return spec != null
        && spec.policy().kind() == OverflowPolicy.Kind.COALESCE
        && spec.policy().key() != null;
  }
}
