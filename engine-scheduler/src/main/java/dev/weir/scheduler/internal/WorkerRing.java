package dev.weir.scheduler.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: a bounded single-producer, multi-consumer FIFO ring, in the manner of Tokio's
 * per-worker run queue. The owning worker appends at `tail`; the owner and idle workers (thieves)
 * remove at `head` by CAS. `head` and `tail` only grow.
 *
 * Invariants: head <= tail <= head + CAPACITY. Entries [head, tail) are the queued cells, in the
 * order the owner appended them. Only the owner writes `tail` and the entries.
 *
 * Happens-before: the owner writes entry t, then publishes it with a release store of tail = t + 1;
 * a taker reads tail with an acquire load before it reads an entry below it, so it sees the entry
 * and everything the owner wrote before appending it (the pushing activation's writes: the next
 * activation of the cell sees them, as NodeCell's design block requires of every hand-over).
 *
 * Claiming: a taker reads entry h and then CASes head from h to h + 1; only the CAS winner returns
 * the entry, so each appended cell is taken exactly once. The entry it read is still the one
 * appended at index h: the owner overwrites that slot only when appending index h + CAPACITY, which
 * needs head > h, and head is h until the winning CAS (head never goes back, so no ABA). A loser
 * discards what it read. Takers never clear an entry (the owner may already be writing its next
 * use); an entry keeps a reference to a taken cell until the owner reuses the slot.
 *
 * Progress: offer is wait-free; poll is lock-free (a CAS retried only when another taker won).
 */

/**
 * A worker's own bounded queue of ready cells: the owning worker appends the cells its activations
 * make ready and takes them back in FIFO order without a lock; idle workers may steal the oldest.
 * Package-private for the jcstress tests.
 *
 * <p>Thread-safety: {@link #offer} is for the owning worker only; the rest is thread-safe.
 */
final class WorkerRing {

  /** Entries per ring; a power of two. */
  static final int CAPACITY = 16;

  private static final int MASK = CAPACITY - 1;
  private static final VarHandle HEAD;
  private static final VarHandle TAIL;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      HEAD = lookup.findVarHandle(WorkerRing.class, "head", long.class);
      TAIL = lookup.findVarHandle(WorkerRing.class, "tail", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final AtomicReferenceArray<NodeCell> entries = new AtomicReferenceArray<>(CAPACITY);

  @SuppressWarnings("unused") // accessed through HEAD
  private volatile long head;

  @SuppressWarnings("unused") // accessed through TAIL; written by the owner only
  private volatile long tail;

  /** Owner: appends a cell; false if the ring is full. */
  boolean offer(NodeCell cell) {
    long t = (long) TAIL.getOpaque(this); // the owner reads its own write
    if (t - (long) HEAD.getAcquire(this) >= CAPACITY) {
      return false;
    }
    entries.lazySet((int) t & MASK, cell); // published by the release store of tail below
    TAIL.setRelease(this, t + 1);
    return true;
  }

  /** Any thread: takes the oldest cell, or returns null if the ring is empty. */
  @Nullable NodeCell poll() {
    for (; ; ) {
      long h = (long) HEAD.getVolatile(this);
      if (h >= (long) TAIL.getAcquire(this)) {
        return null;
      }
      NodeCell cell = entries.get((int) h & MASK);
      if (HEAD.compareAndSet(this, h, h + 1)) {
        return cell;
      }
    }
  }

  /**
   * Any thread: takes the oldest cell only if it is still the one at {@code ticket} (a value of
   * {@link #head()} read earlier), i.e. nobody took anything from the ring since; null otherwise.
   */
  @Nullable NodeCell pollIfHead(long ticket) {
    if ((long) HEAD.getVolatile(this) != ticket || ticket >= (long) TAIL.getAcquire(this)) {
      return null;
    }
    NodeCell cell = entries.get((int) ticket & MASK);
    return HEAD.compareAndSet(this, ticket, ticket + 1) ? cell : null;
  }

  /** The count of cells taken so far: a ticket for {@link #pollIfHead}. */
  long head() {
    return (long) HEAD.getVolatile(this);
  }

  /** Whether the ring holds no cell (exact for the owner, a snapshot for anyone else). */
  boolean isEmpty() {
    return (long) HEAD.getVolatile(this) >= (long) TAIL.getAcquire(this);
  }

  /** Adds one to {@code counts[cell.band]} for each queued cell; approximate while it changes. */
  void countBands(int[] counts) {
    long t = (long) TAIL.getAcquire(this);
    for (long i = Math.max((long) HEAD.getVolatile(this), t - CAPACITY); i < t; i++) {
      NodeCell cell = entries.get((int) i & MASK);
      if (cell != null) {
        counts[cell.band]++;
      }
    }
  }
}
