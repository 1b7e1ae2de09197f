package dev.weir.scheduler.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: two rings. The bound writer (the one worker of a single-worker graph) appends to
 * `own` with no lock: it is that ring's only writer. Every other thread (all workers of a
 * multi-worker graph; start, stop and onStop callers) appends to `shared` under its monitor.
 * Readers (snapshots) read `shared` under the monitor and `own` without one: each slot of `own`
 * is a small seqlock. The writer sets the slot's sequence to 0, fences (store-store), writes the
 * fields (opaque), then publishes the sequence k + 1 with a release store; a reader reads the
 * sequence (acquire), the fields (opaque), fences (load-load) and the sequence again, and keeps the
 * event only if both reads saw k + 1. The count and hash are published with release stores after
 * the slot.
 *
 * Order across the rings: each shared event remembers how many events the own ring held when it
 * was recorded, and snapshots merge by that mark, so a SHUTDOWN recorded after the worker's last
 * activation is listed after it, whatever the clock says.
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
      // The mark is only for labels: how many shared events came before (racy, hence "about").
      own.append(nanos, type, node, detail, shared.count());
    } else {
      synchronized (shared) {
        shared.append(nanos, type, node, detail, own.count());
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

  /** The latest events of both rings, oldest first (see the note above on their order). */
  List<String> recent() {
    List<Event> fromShared = new ArrayList<>(CAPACITY);
    List<Event> fromOwn = new ArrayList<>(CAPACITY);
    synchronized (shared) {
      shared.copyRecent(fromShared);
    }
    own.copyRecent(fromOwn);
    List<Event> ordered = new ArrayList<>(fromShared.size() + fromOwn.size());
    int a = 0;
    int b = 0;
    while (a < fromShared.size() || b < fromOwn.size()) {
      if (b == fromOwn.size()
          || (a < fromShared.size() && fromShared.get(a).mark <= fromOwn.get(b).sequence)) {
        ordered.add(fromShared.get(a++));
      } else {
        ordered.add(fromOwn.get(b++));
      }
    }
    int n = Math.min(ordered.size(), CAPACITY);
    List<String> lines = new ArrayList<>(n);
    for (Event e : ordered.subList(ordered.size() - n, ordered.size())) {
      String node = e.node >= 0 && e.node < names.length ? names[e.node] : "-";
      // Its number in the whole trace: its own ring's sequence plus the other ring's events before
      // it (the mark). A writer faster than this copy leaves gaps, which the numbers show.
      lines.add(
          "#"
              + (e.sequence + e.mark)
              + " t="
              + e.time
              + "ns "
              + Type.values()[e.type]
              + ' '
              + node
              + ' '
              + e.detail);
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
    final long sequence;
    final long time;
    final int type;
    final int node;
    final long detail;
    final long mark;

    Event(long sequence, long time, int type, int node, long detail, long mark) {
      this.sequence = sequence;
      this.time = time;
      this.type = type;
      this.node = node;
      this.detail = detail;
      this.mark = mark;
    }
  }

  /** A ring of the latest events with one writer at a time; see the concurrency note above. */
  private static final class Ring {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
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
    private final long[] marks = new long[CAPACITY];

    @SuppressWarnings("unused") // accessed through COUNT
    private long count;

    @SuppressWarnings("unused") // accessed through HASH
    private long hash = 0x5F3759DF_1234ABCDL;

    void append(long nanos, Type type, int node, long detail, long mark) {
      long k = (long) COUNT.getOpaque(this);
      int i = (int) (k & (CAPACITY - 1));
      LONGS.setOpaque(seqs, i, 0L);
      VarHandle.storeStoreFence();
      LONGS.setOpaque(times, i, nanos);
      INTS.setOpaque(types, i, type.ordinal());
      INTS.setOpaque(nodes, i, node);
      LONGS.setOpaque(details, i, detail);
      LONGS.setOpaque(marks, i, mark);
      LONGS.setRelease(seqs, i, k + 1);
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

    /**
     * Appends every event whose slot reads consistently, oldest first. Each slot is taken as it is
     * now, not as the count said when the copy began: a writer that laps this copy (a busy single
     * worker records millions of events a second) then leaves the newest events, not none.
     */
    void copyRecent(List<Event> out) {
      int from = out.size();
      // Against the writer's direction: the scan meets the slot being written once or twice per
      // pass, instead of possibly keeping pace with it and finding every slot mid-write.
      for (int i = CAPACITY - 1; i >= 0; i--) {
        long seq = (long) LONGS.getAcquire(seqs, i);
        if (seq == 0) {
          continue; // never written, or being rewritten now
        }
        Event e =
            new Event(
                seq - 1,
                (long) LONGS.getOpaque(times, i),
                (int) INTS.getOpaque(types, i),
                (int) INTS.getOpaque(nodes, i),
                (long) LONGS.getOpaque(details, i),
                (long) LONGS.getOpaque(marks, i));
        VarHandle.loadLoadFence();
        if ((long) LONGS.getOpaque(seqs, i) == seq) {
          out.add(e);
        }
      }
      out.subList(from, out.size()).sort(Comparator.comparingLong(e -> e.sequence));
    }
  }
}
