package dev.weir.benchmarks;

import dev.weir.core.Message;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

/*
 * Concurrency: the consumer thread owns `sum` and `count` and publishes each with a release store
 * (sum first, then count). The benchmark thread reads count with acquire: once it sees a count, it
 * sees the sum published with it. `running` is volatile; stop() joins the thread.
 */

/**
 * A dedicated consumer thread for the two-thread benchmarks: it polls a queue in a busy loop
 * ({@link #backOff} when empty), sums the payloads and publishes how many it has taken, so the
 * producing benchmark thread can wait for a fixed-count transfer to land.
 *
 * <p>Thread-safety: {@link #consumed}, {@link #sum} and {@link #awaitCount} are for the one
 * producing thread; the poll function runs only on the consumer thread.
 */
final class SpinningConsumer {

  private static final VarHandle SUM;
  private static final VarHandle COUNT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      SUM = lookup.findVarHandle(SpinningConsumer.class, "sum", long.class);
      COUNT = lookup.findVarHandle(SpinningConsumer.class, "count", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Busy spins before a waiting side starts to yield. */
  static final int SPINS = 100;

  private final Supplier<Message<Long>> poll;
  private final Thread thread;
  private volatile boolean running = true;

  @SuppressWarnings("unused") // accessed through SUM
  private long sum;

  @SuppressWarnings("unused") // accessed through COUNT
  private long count;

  /** Starts the consumer thread on {@code poll}, which returns null when the queue is empty. */
  SpinningConsumer(String name, Supplier<Message<Long>> poll) {
    this.poll = poll;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long localSum = 0;
    long localCount = 0;
    int idle = 0;
    while (running) {
      Message<Long> m = poll.get();
      if (m == null) {
        idle = backOff(idle);
        continue;
      }
      idle = 0;
      localSum += m.payload();
      localCount++;
      SUM.setRelease(this, localSum); // release: ordered before the count store below
      COUNT.setRelease(this, localCount); // release: pairs with the acquire in consumed()
    }
  }

  /** Messages taken so far. */
  long consumed() {
    return (long) COUNT.getAcquire(this);
  }

  /** Sum of the payloads taken so far; exact once {@link #consumed} reached the sent count. */
  long sum() {
    return (long) SUM.getAcquire(this);
  }

  /** Spins until {@code target} messages have been taken. */
  void awaitCount(long target) {
    int idle = 0;
    while (consumed() < target) {
      idle = backOff(idle);
    }
  }

  /**
   * One step of the busy-wait of both sides: {@value #SPINS} spins with {@link Thread#onSpinWait},
   * then a {@link Thread#yield} per step. Pure spinning is faster on an idle machine but collapses
   * when the two threads share their cores with anything else (a descheduled partner leaves the
   * other spinning for a whole time slice); yielding after a short spin keeps the figures usable on
   * a loaded 2-core machine.
   *
   * @param idle the steps taken so far without progress
   * @return the next count
   */
  static int backOff(int idle) {
    if (idle < SPINS) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
    }
    return idle + 1;
  }

  /** Stops and joins the thread. */
  void stop() throws InterruptedException {
    running = false;
    thread.join();
  }
}
