package dev.weir.scheduler;

import dev.weir.core.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to: what makes tick cadence and timestamps reproducible in
 * tests. A scheduler running on it fires due ticks when the clock is advanced.
 *
 * <pre>{@code
 * VirtualClock clock = VirtualClock.start();
 * RunningGraph running = Scheduler.builder().clock(clock).build().start(graph);
 * clock.advance(Duration.ofSeconds(1)); // each node due in that second ticks once now
 * running.awaitQuiescence(Duration.ofSeconds(5)); // then the graph is idle again
 * }</pre>
 *
 * <p>Ticks never queue up: a node whose interval passed several times in one advance ticks once,
 * and the missed ticks are counted. Advance one interval at a time to see every tick. With one
 * worker and a seed the run is deterministic when the test feeds it (offers, advances) only while
 * it is quiescent; offers made while the worker runs land between different activations.
 *
 * <p>Thread-safety: safe from any thread; listeners run on the thread that advances.
 */
public final class VirtualClock implements Clock {

  private final AtomicLong nanos;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private VirtualClock(long startNanos) {
    this.nanos = new AtomicLong(startNanos);
  }

  /**
   * Returns a virtual clock at time zero.
   *
   * @return a new clock
   */
  public static VirtualClock start() {
    return new VirtualClock(0);
  }

  /**
   * Returns a virtual clock at a given time.
   *
   * @param startNanos the initial reading
   * @return a new clock
   */
  public static VirtualClock at(long startNanos) {
    return new VirtualClock(startNanos);
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  /**
   * Moves the clock forward and notifies listeners (the schedulers using it).
   *
   * @param amount how far; zero is allowed and just re-notifies
   * @return the new reading
   * @throws IllegalArgumentException if {@code amount} is negative
   */
  public long advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("a clock cannot go back: advance(" + amount + ")");
    }
    long now = nanos.addAndGet(amount.toNanos());
    for (Runnable listener : listeners) {
      listener.run();
    }
    return now;
  }

  /**
   * Registers a callback run after every {@link #advance}; used by the scheduler.
   *
   * @param listener the callback
   * @return a handle that unregisters it
   */
  public AutoCloseable onAdvance(Runnable listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  @Override
  public String toString() {
    return "VirtualClock[" + nanos.get() + "ns]";
  }
}
