package dev.weir.scheduler.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's event trace: a running 64-bit hash of every event, and the latest {@value #CAPACITY}
 * events for snapshots. Events are recorded per activation, never per message.
 *
 * <p>With one worker, a virtual clock and a seed, the sequence of events, and so the hash, is a
 * pure function of the graph, its inputs and the seed: two such runs compare equal by hash.
 *
 * <p>Thread-safety: thread-safe (synchronized; one short critical section per event).
 */
final class EventLog {

  static final int CAPACITY = 128;

  /** Event types; the ordinal is hashed. */
  enum Type {
    START,
    ACTIVATE,
    TICK,
    BLOCK,
    UNBLOCK,
    FINISH,
    ERROR,
    RESTART,
    STOP_NODE,
    STOP_GRAPH,
    SHUTDOWN
  }

  private final String[] names;
  private final long[] times = new long[CAPACITY];
  private final int[] types = new int[CAPACITY];
  private final int[] nodes = new int[CAPACITY];
  private final long[] details = new long[CAPACITY];
  private long count;
  private long hash = 0x5F3759DF_1234ABCDL;

  EventLog(String[] nodeNames) {
    this.names = nodeNames.clone();
  }

  synchronized void record(long nanos, Type type, int node, long detail) {
    int i = (int) (count % CAPACITY);
    times[i] = nanos;
    types[i] = type.ordinal();
    nodes[i] = node;
    details[i] = detail;
    count++;
    hash = mix(hash ^ mix(((long) type.ordinal() << 56) ^ ((long) node << 32) ^ detail));
  }

  synchronized long hash() {
    return hash;
  }

  synchronized long count() {
    return count;
  }

  synchronized List<String> recent() {
    int n = (int) Math.min(count, CAPACITY);
    List<String> lines = new ArrayList<>(n);
    for (long k = count - n; k < count; k++) {
      int i = (int) (k % CAPACITY);
      String node = nodes[i] >= 0 && nodes[i] < names.length ? names[nodes[i]] : "-";
      lines.add(
          "#"
              + k
              + " t="
              + times[i]
              + "ns "
              + Type.values()[types[i]]
              + ' '
              + node
              + ' '
              + details[i]);
    }
    return lines;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }
}
