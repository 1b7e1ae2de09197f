package dev.weir.soak;

import ch.qos.logback.classic.LoggerContext;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Reads what the testkit's resource monitor does not: messages tallied, CPU used, meters in the
 * registry and SLF4J loggers, every {@code probeInterval} while the actors run, after forcing a
 * full collection. The collection makes the heap-after-GC reading that follows it the live set,
 * instead of the live set plus whatever garbage young collections promoted since the last
 * old-generation cycle (which, on a 1 GiB heap, can climb for minutes and would pass for a leak on
 * a short run). It also prints the soak's progress line every {@code statusInterval}.
 *
 * <p>Thread-safety: samples are appended by the probe's own thread under the list's lock; {@link
 * #samples} returns a copy and may be called from any thread.
 */
final class SoakProbe implements AutoCloseable {

  /**
   * One reading.
   *
   * @param elapsedNanos since the probe started
   * @param tallied messages the BLOCK path's sink has taken so far
   * @param cpuNanos CPU time of the process so far, or -1 where the JVM does not say
   * @param meters meters in the workload's registry
   * @param loggers SLF4J loggers the binding holds, or -1 when it does not say
   */
  record Sample(long elapsedNanos, long tallied, long cpuNanos, int meters, int loggers) {}

  private final MixedWorkload workload;
  private final Duration duration;
  private final Consumer<String> console;
  private final long startNanos = System.nanoTime();
  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService executor;
  private long lastPrintNanos;
  private long lastPrintTallied;

  private SoakProbe(
      MixedWorkload workload, SoakSettings settings, String name, Consumer<String> console) {
    this.workload = workload;
    this.duration = settings.duration();
    this.console = console;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "weir-soak-" + name + "-probe");
              t.setDaemon(true);
              return t;
            });
    long every = settings.probeInterval().toNanos();
    long printEvery = settings.statusInterval().toNanos();
    ScheduledFuture<?> unused =
        executor.scheduleAtFixedRate(
            () -> {
              Sample s = sample();
              if (s.elapsedNanos() - lastPrintNanos >= printEvery - every / 2) {
                print(name, s);
              }
            },
            every,
            every,
            TimeUnit.NANOSECONDS);
  }

  /** Starts probing; stops by itself once {@code settings.duration()} has passed. */
  static SoakProbe start(
      MixedWorkload workload, SoakSettings settings, String name, Consumer<String> console) {
    return new SoakProbe(workload, settings, name, console);
  }

  /** The samples so far, oldest first. */
  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  @SuppressWarnings("DoNotCall")
  private Sample sample() {
    long elapsed = System.nanoTime() - startNanos;
    if (elapsed > duration.toNanos()) {
      executor.shutdown();
    }
    System.gc();
    Sample s =
        new Sample(
            System.nanoTime() - startNanos,
            workload.tallied.get(),
            cpuNanos(),
            workload.registry.getMeters().size(),
            loggers());
    synchronized (samples) {
      samples.add(s);
    }
    return s;
  }

  private void print(String name, Sample s) {
    double seconds = (s.elapsedNanos() - lastPrintNanos) / 1e9;
    double rate = (s.tallied() - lastPrintTallied) / seconds;
    lastPrintNanos = s.elapsedNanos();
    lastPrintTallied = s.tallied();
    long secs = s.elapsedNanos() / 1_000_000_000L;
    console.accept(
        String.format(
            Locale.ROOT,
            "[soak %s] %02d:%02d:%02d of %s: tallied=%d (%.0f msg/s)"
                + " tenants=%d meters=%d loggers=%d ticks=%d control=%d",
            name,
            secs / 3600,
            (secs / 60) % 60,
            secs % 60,
            duration,
            s.tallied(),
            rate,
            workload.tenantsStopped.get(),
            s.meters(),
            s.loggers(),
            workload.ticks.get(),
            workload.controlReceived.get()));
  }

  /** Loggers the SLF4J binding holds: Logback never forgets a logger once asked for it. */
  static int loggers() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    return factory instanceof LoggerContext logback ? logback.getLoggerList().size() : -1;
  }

  private static long cpuNanos() {
    try {
      Object value =
          ManagementFactory.getPlatformMBeanServer()
              .getAttribute(
                  new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME), "ProcessCpuTime");
      return value instanceof Number n ? n.longValue() : -1;
    } catch (JMException notOnThisJvm) {
      return -1;
    }
  }
}
