package dev.weir.scheduler.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/*
 * A hashed timing wheel of ticking nodes (Varghese and Lauck; Netty's HashedWheelTimer, Kafka's
 * TimingWheel): SLOTS buckets of SLOT_NANOS each; an entry sits in the bucket of its due time's
 * slot, modulo the wheel. Adding and removing an entry is O(1) (an intrusive doubly linked list, no
 * allocation); a pass walks the buckets of the slots from its cursor to the slot of `now` and fires
 * what is due, so its cost is the entries it fires plus the buckets it walks, whatever the number
 * of ticking nodes. An entry due more than one turn of the wheel ahead shares its bucket with the
 * entries of the current turn and is skipped until its turn comes (Netty's remainingRounds).
 *
 * Fire once, re-arm on delivery. An entry that fires leaves the wheel: its cell gets a pending tick
 * and the entry belongs to the cell until the activation that takes the tick accounts for it and
 * re-arms it at the next interval boundary (NodeCell.takeTick). So a node that is busy, blocked or
 * queued behind other work costs the wheel nothing until it runs: before, every ticking node was
 * re-fired at every interval whether or not it had taken its last tick, and at 30,000 nodes on a
 * 10 ms cadence the firing alone took both workers (3 M firings a second under one lock) and
 * nothing else ran, not even the stop.
 *
 * Accounting: an entry's `due` is the first interval boundary not yet accounted for. The owner of
 * the entry (the wheel while it is armed; the cell once it fired) is the only writer of `due`; the
 * activation that takes the tick counts one delivered and the boundaries passed since `due` as
 * missed, then moves `due` past now. close() accounts a pending or armed entry's boundaries up to
 * the node's termination as missed. So for every node, delivered + missed = the interval boundaries
 * from its start to its last accounting, exactly, on any number of workers.
 *
 * Concurrency: `lock` guards the wheel (buckets, cursor, each entry's links, `armed`, `closed`).
 * Pass: under the lock, an entry due is unlinked and its cell's tick set pending (a volatile write
 * in NodeCell), then the cell is signalled; the hand-over to the cell is that volatile write, which
 * the activation reads (getAndSet) before it reads `due`. Re-arm: the activation writes `due`, then
 * takes the lock to link the entry: the lock orders that write before the next pass's read. close()
 * takes the lock, so it and a pass see each other whole: either the entry is armed (close unlinks
 * it) or the pass fired it and set the tick pending before releasing the lock (close takes the
 * pending tick). Pinned by TickTimersStress.
 *
 * Two kinds of pass. On a VirtualClock (exact) a pass fires every entry whose due time is <= now,
 * so advance() fires a tick on the exact instant it falls due. On the system clock a pass fires the
 * entries of the slots before now's slot only: a tick fires up to one slot (1 ms) late, as in
 * Netty, and no pass ever walks the entries of a slot that is not over yet, so passes cost no more
 * than once a slot however often the workers look.
 *
 * Progress: blocking (one lock, held for O(1) by a re-arm and by a pass for the entries it fires).
 * Workers' passes use tryLock: a worker that finds another one firing goes back to work.
 */

/**
 * The tick timetable: when each ticking node is next due, as a hashed timing wheel. Workers call
 * {@link #tryFireDue} before picking work; a due node gets one pending tick and leaves the wheel
 * until its activation takes the tick and re-arms it, so a slow, blocked or waiting node never
 * builds a backlog of ticks nor costs the wheel anything.
 *
 * <p>Thread-safety: thread-safe (one lock). The cells due in one pass are queued together ({@link
 * ReadyQueues#pushTogether}, called under the lock), so no worker starts one before the others are
 * queued: otherwise which of two simultaneous ticks ran first depended on thread timing.
 */
final class TickTimers {

  /** The width of a slot: the resolution of the system-clock passes. */
  static final long SLOT_NANOS = 1_000_000L;

  /** The number of buckets: a power of two; one turn of the wheel is about a second. */
  static final int SLOTS = 1024;

  private static final int MASK = SLOTS - 1;

  /**
   * One ticking node's place in the timetable; owned by the wheel while armed, else by the cell.
   */
  static final class Entry {
    final NodeCell cell;
    final long interval;

    /** The first interval boundary not yet accounted for (see "Accounting"). */
    long due;

    /** Guarded by the lock: linked in a bucket. */
    boolean armed;

    /** Guarded by the lock: the node terminated; never armed again. */
    boolean closed;

    /** Guarded by the lock: the bucket it is linked in, while armed. */
    int bucket;

    @Nullable Entry prev;
    @Nullable Entry next;

    Entry(NodeCell cell, long interval, long due) {
      this.cell = cell;
      this.interval = interval;
      this.due = due;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final ReadyQueues readyQueues;
  private final RuntimeMetrics metrics;
  private final boolean exact;
  private final @Nullable Entry[] buckets = new Entry[SLOTS];

  /** Guarded by the lock: the first slot the next pass walks. */
  private long cursor = Long.MIN_VALUE;

  /** Guarded by the lock: armed entries. */
  private int armedCount;

  /**
   * Guarded by the lock: one pass's fired entries, sorted before they are queued. Reused, so a pass
   * allocates nothing once it has held its largest batch.
   */
  private final ArrayList<Entry> firedScratch = new ArrayList<>();

  /**
   * The order in which ticks falling due in one pass are queued: by due time, then by node index
   * (the graph's declaration order), so with one worker and a virtual clock which of two
   * simultaneous ticks runs first never depends on the order the nodes were linked into a bucket.
   */
  private static final Comparator<Entry> FIRING_ORDER =
      Comparator.<Entry>comparingLong(e -> e.due).thenComparingInt(e -> e.cell.index);

  /**
   * When a pass next has something to fire (a lower bound), or {@link Long#MAX_VALUE}. Written
   * under the lock, read without it by workers deciding how long to wait: a stale value only makes
   * a worker look again early or sleep until a push wakes it (re-arms of past-due entries are made
   * by the worker that runs the next pass itself).
   */
  private volatile long nextDue = Long.MAX_VALUE;

  /**
   * @param exact fire on the exact due instant (a {@code VirtualClock}) rather than at the end of
   *     the due time's slot (the system clock)
   */
  TickTimers(ReadyQueues readyQueues, RuntimeMetrics metrics, boolean exact) {
    this.readyQueues = readyQueues;
    this.metrics = metrics;
    this.exact = exact;
  }

  /** Starts a node's ticks: its first tick is due one interval after {@code now}. */
  Entry add(NodeCell cell, long intervalNanos, long now) {
    Entry entry = new Entry(cell, intervalNanos, now + intervalNanos);
    lock.lock();
    try {
      if (cursor == Long.MIN_VALUE) {
        cursor = Math.floorDiv(now, SLOT_NANOS);
      }
      link(entry);
    } finally {
      lock.unlock();
    }
    return entry;
  }

  /** Re-arms an entry whose tick its cell took (the cell owns it); no-op once closed. */
  void rearm(Entry entry) {
    lock.lock();
    try {
      if (!entry.closed && !entry.armed) {
        link(entry);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The node terminated: no tick is fired to it any more, and the interval boundaries up to {@code
   * now} that it did not get (a tick pending, or armed and due) are counted as missed. Called by
   * the thread that owns the cell's activation state; idempotent.
   */
  void close(Entry entry, long now) {
    lock.lock();
    try {
      if (entry.closed) {
        return;
      }
      entry.closed = true;
      if (entry.armed) {
        unlink(entry);
      }
      entry.cell.dropPendingTick(entry, now);
    } finally {
      lock.unlock();
    }
  }

  /** Returns when a pass next has something to fire, or {@link Long#MAX_VALUE}. */
  long nextDue() {
    return nextDue;
  }

  /** Fires what is due at {@code now}, waiting for a pass under way (the clock's own thread). */
  void fireDue(long now) {
    if (now < nextDue) {
      return;
    }
    lock.lock();
    try {
      pass(now);
    } finally {
      lock.unlock();
    }
  }

  /** Fires what is due at {@code now}, unless another thread is firing (a worker). */
  void tryFireDue(long now) {
    if (now < nextDue || !lock.tryLock()) {
      return;
    }
    try {
      pass(now);
    } finally {
      lock.unlock();
    }
  }

  private void pass(long now) {
    if (armedCount == 0) {
      nextDue = Long.MAX_VALUE; // a close may have unlinked the last entry: nothing is due
      return;
    }
    long nowSlot = Math.floorDiv(now, SLOT_NANOS);
    // Exact: fire what is due by now. System clock: only the slots that are over.
    long limit = exact ? now : nowSlot * SLOT_NANOS - 1;
    if (nowSlot < cursor) {
      return;
    }
    // System clock: the slot of now is not over, so its bucket is not walked at all.
    long last = exact ? nowSlot : nowSlot - 1;
    long from = Math.max(cursor, last - MASK);
    Entry fired = null;
    for (long slot = from; slot <= last; slot++) {
      Entry e = buckets[(int) slot & MASK];
      while (e != null) {
        Entry next = e.next;
        if (e.due <= limit) {
          unlink(e);
          e.next = fired; // the fired entries, in a list of their own until signalled
          fired = e;
        }
        e = next;
      }
    }
    cursor = nowSlot;
    if (fired != null) {
      signal(sorted(fired), now);
    }
    nextDue = earliest();
  }

  /** Sets each fired cell's tick pending and queues them together; in the order they fired. */
  private void signal(@Nullable Entry fired, long now) {
    readyQueues.pushTogether(
        () -> {
          Entry e = fired;
          while (e != null) {
            Entry next = e.next;
            e.next = null;
            metrics.tickLateness(now - e.due);
            e.cell.tickFired();
            e = next;
          }
        });
  }

  /** Under the lock: relinks a pass's fired entries in {@link #FIRING_ORDER}. */
  private @Nullable Entry sorted(Entry list) {
    ArrayList<Entry> all = firedScratch;
    for (Entry e = list; e != null; e = e.next) {
      all.add(e);
    }
    all.sort(FIRING_ORDER);
    Entry head = null;
    for (int i = all.size() - 1; i >= 0; i--) {
      Entry e = all.get(i);
      e.next = head;
      head = e;
    }
    all.clear();
    return head;
  }

  /**
   * Under the lock: when a pass next fires something. Walks the buckets from the cursor to the
   * first one holding an entry due in its own turn; if a whole turn holds none, the earliest entry.
   */
  private long earliest() {
    if (armedCount == 0) {
      return Long.MAX_VALUE;
    }
    long min = Long.MAX_VALUE;
    for (long slot = cursor; slot < cursor + SLOTS; slot++) {
      long slotEnd = (slot + 1) * SLOT_NANOS;
      for (Entry e = buckets[(int) slot & MASK]; e != null; e = e.next) {
        if (!exact && e.due < slotEnd) {
          return slotEnd; // the system clock fires this slot's entries once it is over
        }
        min = Math.min(min, e.due);
      }
      if (min < slotEnd) {
        return min; // every later bucket holds entries of later slots only
      }
    }
    // A whole turn of the wheel holds only entries of later turns: the earliest of them.
    return exact ? min : (Math.floorDiv(min, SLOT_NANOS) + 1) * SLOT_NANOS;
  }

  /** Under the lock: links an entry into the bucket of its due slot, or the cursor's if past. */
  private void link(Entry e) {
    long slot = Math.max(Math.floorDiv(e.due, SLOT_NANOS), cursor);
    int bucket = (int) slot & MASK;
    Entry head = buckets[bucket];
    e.bucket = bucket;
    e.prev = null;
    e.next = head;
    if (head != null) {
      head.prev = e;
    }
    buckets[bucket] = e;
    e.armed = true;
    armedCount++;
    long at = exact ? e.due : (slot + 1) * SLOT_NANOS;
    if (at < nextDue) {
      nextDue = at;
    }
  }

  /** Under the lock: unlinks an armed entry from its bucket. */
  private void unlink(Entry e) {
    Entry prev = e.prev;
    Entry next = e.next;
    if (prev != null) {
      prev.next = next;
    } else {
      buckets[e.bucket] = next;
    }
    if (next != null) {
      next.prev = prev;
    }
    e.prev = null;
    e.next = null;
    e.armed = false;
    armedCount--;
  }
}
