package dev.weir.scheduler.internal;

import java.util.PriorityQueue;

/**
 * The tick timetable: when each ticking node is next due. Workers call {@link #fireDue} before
 * picking work; a due node gets one pending tick however many intervals passed (missed ticks are
 * coalesced and counted) and its next due time is the first interval boundary after now, so a slow
 * or blocked node never builds a backlog of ticks.
 *
 * <p>Thread-safety: thread-safe (synchronized; touched once per worker loop and per tick). The
 * cells due at one time are queued together ({@link ReadyQueues#pushTogether}, called inside this
 * monitor), so no worker starts one before the others are queued: otherwise which of two
 * simultaneous ticks ran first depended on thread timing.
 */
final class TickTimers {

  private static final class Entry implements Comparable<Entry> {
    final NodeCell cell;
    final long interval;
    long due;

    Entry(NodeCell cell, long interval, long due) {
      this.cell = cell;
      this.interval = interval;
      this.due = due;
    }

    @Override
    public int compareTo(Entry o) {
      int byDue = Long.compare(due, o.due);
      return byDue != 0 ? byDue : Integer.compare(cell.index, o.cell.index);
    }
  }

  private final PriorityQueue<Entry> queue = new PriorityQueue<>();
  private final ReadyQueues readyQueues;
  private volatile long nextDue = Long.MAX_VALUE;

  TickTimers(ReadyQueues readyQueues) {
    this.readyQueues = readyQueues;
  }

  synchronized void add(NodeCell cell, long intervalNanos, long now) {
    queue.add(new Entry(cell, intervalNanos, now + intervalNanos));
    nextDue = queue.peek().due;
  }

  /** Returns the next due time, or {@link Long#MAX_VALUE} if nothing ticks. */
  long nextDue() {
    return nextDue;
  }

  /** Marks every node due at {@code now} as having a pending tick and signals it. */
  void fireDue(long now) {
    if (now < nextDue) {
      return;
    }
    synchronized (this) {
      readyQueues.pushTogether(() -> fireDueLocked(now));
      Entry next = queue.peek();
      nextDue = next == null ? Long.MAX_VALUE : next.due;
    }
  }

  private void fireDueLocked(long now) {
    Entry head;
    while ((head = queue.peek()) != null && head.due <= now) {
      queue.poll();
      long late = now - head.due;
      long missed = late / head.interval;
      head.cell.tickDue(late, missed);
      head.due += (missed + 1) * head.interval;
      if (!head.cell.isTerminated()) {
        queue.add(head);
      }
    }
  }
}
