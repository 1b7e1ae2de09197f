package dev.weir.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A run's samples over time: each resource sample taken together with the operations counted at
 * that moment, so the report's throughput chart has one point per resource sample, on the same time
 * axis as heap and threads.
 *
 * <p>Thread-safety: {@link #sample} may be called from any thread (the sampler, the status printer,
 * the run's thread); samples and counts are appended together under this object's lock.
 */
final class Timeline implements AutoCloseable {

  private final ResourceMonitor monitor;
  private final LongSupplier operations;
  private final List<ResourceSample> samples = new ArrayList<>();
  private final List<Long> counts = new ArrayList<>();
  private final ScheduledExecutorService sampler;

  Timeline(ResourceMonitor monitor, LongSupplier operations, Duration interval, String name) {
    this.monitor = monitor;
    this.operations = operations;
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "weir-stress-" + name + "-monitor");
              t.setDaemon(true);
              return t;
            });
    long nanos = interval.toNanos();
    ScheduledFuture<?> unused =
        sampler.scheduleAtFixedRate(this::sample, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /** Samples the resources and the operation count now. */
  synchronized ResourceSample sample() {
    ResourceSample s = monitor.sample();
    samples.add(s);
    counts.add(operations.getAsLong());
    return s;
  }

  /** The resource samples, oldest first. */
  synchronized List<ResourceSample> samples() {
    return List.copyOf(samples);
  }

  /** The operations counted at each sample, in the same order. */
  synchronized List<Long> operations() {
    return List.copyOf(counts);
  }

  /** Stops the periodic sampling; {@link #sample} still works. Idempotent. */
  void stopSampling() {
    sampler.shutdownNow();
  }

  @Override
  public void close() {
    stopSampling();
  }
}
