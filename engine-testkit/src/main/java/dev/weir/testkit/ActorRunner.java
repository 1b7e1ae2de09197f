package dev.weir.testkit;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Runs one actor on a thread of its own until the run's exit criteria are met, another runner
 * failed, or its actor throws. Counts what each operation amounted to.
 *
 * <p>Thread-safety: {@link #run} executes on the runner's thread; the counters are atomics read by
 * the status line and, after the thread was joined, by the report.
 */
final class ActorRunner implements Runnable {

  private final String name;
  private final Actor actor;
  private final SplittableRandom random;
  private final Environment env;
  private final BiConsumer<String, Throwable> onFailure;
  private final AtomicLong counted = new AtomicLong();
  private final AtomicLong notCounted = new AtomicLong();
  private final AtomicLong resets = new AtomicLong();

  ActorRunner(
      String name,
      Actor actor,
      long seed,
      Environment env,
      BiConsumer<String, Throwable> onFailure) {
    this.name = name;
    this.actor = actor;
    this.random = new SplittableRandom(seed);
    this.env = env;
    this.onFailure = onFailure;
  }

  String name() {
    return name;
  }

  @Override
  public void run() {
    try {
      while (!env.exitReached() && !Thread.currentThread().isInterrupted()) {
        step();
      }
    } catch (Throwable t) { // any failure of the actor ends the run; it is reported, not rethrown
      onFailure.accept(name, t);
    }
  }

  /** Performs one operation and applies its outcome. */
  void step() throws Exception {
    Outcome outcome = env.operate(actor, random);
    switch (outcome) {
      case COUNTED -> {
        counted.incrementAndGet();
        env.count();
      }
      case NOT_COUNTED -> notCounted.incrementAndGet();
      case RESET -> {
        resets.incrementAndGet();
        env.reset();
      }
    }
  }

  long counted() {
    return counted.get();
  }

  long notCounted() {
    return notCounted.get();
  }

  long resets() {
    return resets.get();
  }
}
