package dev.weir.scheduler.internal;

import dev.weir.scheduler.DeadLetter;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Not API: the graph's dead letters counted by edge and reason, and by node and reason, for the
 * shutdown report's ledger. Counted where every dead letter passes ({@link GraphRuntime}), before
 * the handler runs, so the report reconciles whatever handler is installed.
 *
 * <p>Thread-safety: the maps are filled in the constructor and only read afterwards (the runtime is
 * published to its workers by {@code Thread.start}); the counts are atomic. A report made while a
 * worker is still inside a hook reads them one by one: it names that node as pending.
 */
final class DeadLetterTally {

  private static final DeadLetter.Reason[] REASONS = DeadLetter.Reason.values();

  private final Map<String, AtomicLongArray> byEdge = new HashMap<>();
  private final Map<String, AtomicLongArray> byNode = new HashMap<>();
  private final AtomicLong total = new AtomicLong();

  DeadLetterTally(Collection<String> edgeIds, Collection<String> nodeNames) {
    for (String id : edgeIds) {
      byEdge.put(id, new AtomicLongArray(REASONS.length));
    }
    for (String name : nodeNames) {
      byNode.put(name, new AtomicLongArray(REASONS.length));
    }
  }

  /** Counts one dead letter: in the total, on its edge and on its node. */
  void count(DeadLetter d) {
    total.incrementAndGet();
    String edgeId = d.edgeId();
    AtomicLongArray edge = edgeId == null ? null : byEdge.get(edgeId);
    if (edge != null) {
      edge.incrementAndGet(d.reason().ordinal()); // else the report's ledger shows it missing
    }
    AtomicLongArray node = byNode.get(d.node());
    if (node != null) {
      node.incrementAndGet(d.reason().ordinal());
    }
  }

  long total() {
    return total.get();
  }

  Map<DeadLetter.Reason, Long> ofEdge(String edgeId) {
    AtomicLongArray counts = byEdge.get(edgeId);
    return counts == null ? Map.of() : toMap(counts);
  }

  Map<DeadLetter.Reason, Long> ofNode(String name) {
    AtomicLongArray counts = byNode.get(name);
    return counts == null ? Map.of() : toMap(counts);
  }

  private static Map<DeadLetter.Reason, Long> toMap(AtomicLongArray counts) {
    Map<DeadLetter.Reason, Long> map = new EnumMap<>(DeadLetter.Reason.class);
    for (DeadLetter.Reason r : REASONS) {
      long n = counts.get(r.ordinal());
      if (n > 0) {
        map.put(r, n);
      }
    }
    return map;
  }
}
