package dev.weir.benchmarks;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The machine's own stalls, measured without Weir: one thread reads {@link System#nanoTime()} in a
 * tight loop and records every gap between two consecutive readings that is longer than {@value
 * #THRESHOLD_NANOS} ns. A gap is time the thread did not run: the hypervisor or the kernel took the
 * core (an interrupt, another thread, a VM exit), or the JVM stopped it (a GC pause, a safepoint).
 * Code running on that thread cannot react faster than the machine lets it run, so the share of
 * time lost in gaps bounds what a latency percentile can show: a CONTROL message that arrives while
 * the worker is stopped waits for the gap to end, whatever the engine does.
 *
 * <p>With {@code --allocate} the loop also allocates 48 bytes per reading and keeps the last 1024
 * objects, about the allocation rate of a saturated pipeline4 worker, so that allocation's own
 * stalls (page faults on fresh heap, TLAB refills, GC pauses) show as well.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.weir.benchmarks.MachineHiccups
 * [--seconds 10] [--allocate]}. docs/benchmarks.md, "control_latency", reads its output beside
 * {@link ControlLatency}'s.
 *
 * <p>Thread-safety: a command-line tool; one thread measures.
 */
public final class MachineHiccups {

  /** Gaps at most this long are the loop's own work, not stalls. */
  static final long THRESHOLD_NANOS = 8_000;

  /** Where the allocating loop leaves its objects, so that escape analysis cannot remove them. */
  @SuppressWarnings("unused")
  private static Object[] kept = new Object[0];

  private MachineHiccups() {}

  /**
   * Runs the measurement and prints the report.
   *
   * @param args {@code --seconds N} and {@code --allocate}
   */
  public static void main(String[] args) {
    Options o = Options.parse(args);
    Gaps gaps = measure(o.seconds() * 1_000_000_000L, o.allocate());
    report(o, gaps, System.out);
  }

  /** Command-line options. */
  record Options(int seconds, boolean allocate) {
    static Options parse(String[] args) {
      int seconds = 10;
      boolean allocate = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--allocate" -> allocate = true;
          case "--seconds" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException("missing value after --seconds");
            }
            seconds = Integer.parseInt(args[++i]);
            if (seconds < 1) {
              throw new IllegalArgumentException("--seconds must be at least 1, was " + seconds);
            }
          }
          default ->
              throw new IllegalArgumentException(
                  "unknown option " + args[i] + "; use --seconds N and --allocate");
        }
      }
      return new Options(seconds, allocate);
    }
  }

  /** Spins for {@code nanos}, recording the gaps; allocates per reading if asked. */
  static Gaps measure(long nanos, boolean allocate) {
    Gaps gaps = new Gaps();
    Object[] recent = new Object[1024];
    kept = recent;
    int next = 0;
    long start = System.nanoTime();
    long end = start + nanos;
    long previous = start;
    while (previous - end < 0) { // differences, not values: nanoTime may wrap
      if (allocate) {
        recent[next++ & (recent.length - 1)] = new long[4]; // 16 B header + 32 B
      }
      long now = System.nanoTime();
      gaps.record(now - previous);
      previous = now;
    }
    gaps.observed(previous - start);
    return gaps;
  }

  static void report(Options o, Gaps gaps, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "machine hiccups: one thread reading System.nanoTime() for %d s%s%n",
        o.seconds(),
        o.allocate() ? ", allocating 48 B per reading" : "");
    out.print(gaps.render());
  }

  /**
   * Gaps longer than {@link #THRESHOLD_NANOS}, counted per power-of-two bucket, and the time they
   * add up to.
   */
  static final class Gaps {
    private final long[] buckets = new long[64];
    private long count;
    private long stalledNanos;
    private long maxNanos;
    private long observedNanos;

    /** Records the time between two readings; short ones are the loop itself and not counted. */
    void record(long gapNanos) {
      if (gapNanos <= THRESHOLD_NANOS) {
        return;
      }
      buckets[63 - Long.numberOfLeadingZeros(gapNanos)]++;
      count++;
      stalledNanos += gapNanos;
      maxNanos = Math.max(maxNanos, gapNanos);
    }

    /** Sets the length of the whole measurement. */
    void observed(long nanos) {
      observedNanos = nanos;
    }

    long count() {
      return count;
    }

    /** The share of the measured time spent in recorded gaps, 0 to 1. */
    double stalledShare() {
      return observedNanos == 0 ? 0 : (double) stalledNanos / observedNanos;
    }

    String render() {
      StringBuilder b = new StringBuilder();
      double seconds = observedNanos / 1e9;
      b.append(
          String.format(
              Locale.ROOT,
              "gaps over %d µs: %d (%.0f per second), %.2f%% of the time; longest %.1f µs%n",
              THRESHOLD_NANOS / 1000,
              count,
              seconds == 0 ? 0 : count / seconds,
              100 * stalledShare(),
              maxNanos / 1e3));
      for (int i = 0; i < buckets.length; i++) {
        if (buckets[i] > 0) {
          long from = Math.max(1L << i, THRESHOLD_NANOS);
          long to = i == 62 ? Long.MAX_VALUE : 1L << (i + 1);
          b.append(
              String.format(
                  Locale.ROOT, "  %8.1f to %8.1f µs: %d%n", from / 1e3, to / 1e3, buckets[i]));
        }
      }
      return b.toString();
    }
  }
}
