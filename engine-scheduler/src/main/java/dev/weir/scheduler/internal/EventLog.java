package dev.weir.scheduler.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: two rings. The bound writer (the one worker of a single-worker graph) appends to
 * `own` with no lock: it is that ring's only writer. Every other thread (all workers of a
 * multi-worker graph; start, stop and onStop callers) appends to `shared` under its monitor.
 * Readers (snapshots) read `shared` under the monitor and `own` without one: each slot of `own`
 * is a small seqlock. The writer sets the slot's sequence to 0, fences (store-store), writes the
 * fields, then publishes the sequence k + 1 with a release store; a reader reads the sequence
 * (acquire), the fields, fences (load-load) and the sequence again, and keeps the event only if
 * both reads saw k + 1. The count and hash are published with release stores after the slot.
 *
 * Happens-before: a reader that learned by other means that the writer is past some point (e.g.
 * awaitQuiet saw the single worker idle: a volatile write by the worker after its last event)
 * sees every event and the hash up to that point.
 */

/**
 * The engine's event trace: a running 64-bit hash of every event, and the latest {@value #CAPACITY}
 * events for snapshots. Events are recorded per activation, never per message.
 *
 * <p>With one worker, a virtual clock and a seed, the sequence of events, and so the hash, is a
 * pure function of the graph, its inputs and the seed: two such runs compare equal by hash. The
 * worker's own events are hashed in their order, and so are the other threads' (start and stop);
 * the trace hash combines the two.
 *
 * <p>Thread-safety: thread-safe; no lock for the thread bound with {@link #bindWriter}.
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
  private final Ring own = new Ring();
  private final Ring shared = new Ring();
  private volatile @Nullable Thread writer;

  EventLog(String[] nodeNames) {
    this.names = nodeNames.clone();
  }

  /** Lets {@code thread} record without a lock; called before that thread starts. */
  void bindWriter(Thread thread) {
    this.writer = thread;
  }

  void record(long nanos, Type type, int node, long detail) {
    if (Thread.currentThread() == writer) {
      own.append(nanos, type, node, detail);
    } else {
      synchronized (shared) {
        shared.append(nanos, type, node, detail);
      }
    }
  }

  long hash() {
    long sharedHash;
    synchronized (shared) {
      sharedHash = shared.hash();
    }
    return mix(own.hash() * 31 + sharedHash);
  }

  long count() {
    synchronized (shared) {
      return own.count() + shared.count();
    }
  }

  /**
   * The latest events of both rings, oldest first, merged by time (other threads' first on ties).
   */
  List<String> recent() {
    List<Event> merged = new ArrayList<>(2 * CAPACITY);
    long total;
    synchronized (shared) {
      shared.copyRecent(merged);
      total = shared.count();
    }
    int fromShared = merged.size();
    total += own.copyRecent(merged);
    // Both halves are in time order already (each ring's clock reads only go forward): merge.
    List<Event> ordered = new ArrayList<>(merged.size());
    int a = 0;
    int b = fromShared;
    while (a < fromShared || b < merged.size()) {
      if (b == merged.size() || (a < fromShared && merged.get(a).time <= merged.get(b).time)) {
        ordered.add(merged.get(a++));
      } else {
        ordered.add(merged.get(b++));
      }
    }
    int n = Math.min(ordered.size(), CAPACITY);
    List<String> lines = new ArrayList<>(n);
    long k = total - n;
    for (Event e : ordered.subList(ordered.size() - n, ordered.size())) {
      String node = e.node >= 0 && e.node < names.length ? names[e.node] : "-";
      lines.add(
          "#" + k++ + " t=" + e.time + "ns " + Type.values()[e.type] + ' ' + node + ' ' + e.detail);
    }
    return lines;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }

  /** One event, as read back for a snapshot. */
  private static final class Event {
    final long time;
    final int type;
    final int node;
    final long detail;

    Event(long time, int type, int node, long detail) {
      this.time = time;
      this.type = type;
      this.node = node;
      this.detail = detail;
    }
  }

  /** A ring of the latest events with one writer at a time; see the concurrency note above. */
  private static final class Ring {
    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle COUNT;
    private static final VarHandle HASH;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        COUNT = lookup.findVarHandle(Ring.class, "count", long.class);
        HASH = lookup.findVarHandle(Ring.class, "hash", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final long[] seqs = new long[CAPACITY];
    private final long[] times = new long[CAPACITY];
    private final int[] types = new int[CAPACITY];
    private final int[] nodes = new int[CAPACITY];
    private final long[] details = new long[CAPACITY];

    @SuppressWarnings("unused") // accessed through COUNT
    private long count;

    @SuppressWarnings("unused") // accessed through HASH
    private long hash = 0x5F3759DF_1234ABCDL;

    void append(long nanos, Type type, int node, long detail) {
      long k = (long) COUNT.getOpaque(this);
      int i = (int) (k & (CAPACITY - 1));
      SEQ.setOpaque(seqs, i, 0L);
      VarHandle.storeStoreFence();
      times[i] = nanos;
      types[i] = type.ordinal();
      nodes[i] = node;
      details[i] = detail;
      SEQ.setRelease(seqs, i, k + 1);
      long h = (long) HASH.getOpaque(this);
      HASH.setRelease(
          this, mix(h ^ mix(((long) type.ordinal() << 56) ^ ((long) node << 32) ^ detail)));
      COUNT.setRelease(this, k + 1);
    }

    long count() {
      return (long) COUNT.getAcquire(this);
    }

    long hash() {
      return (long) HASH.getAcquire(this);
    }

    /** Appends the latest events still readable, oldest first; returns the count they end at. */
    long copyRecent(List<Event> out) {
      long end = count();
      for (long k = Math.max(0, end - CAPACITY); k < end; k++) {
        int i = (int) (k & (CAPACITY - 1));
        if ((long) SEQ.getAcquire(seqs, i) != k + 1) {
          continue; // overwritten by a newer event already
        }
        Event e = new Event(times[i], types[i], nodes[i], details[i]);
        VarHandle.loadLoadFence();
        if ((long) SEQ.getOpaque(seqs, i) == k + 1) {
          out.add(e);
        }
      }
      return end;
    }
  }
}
