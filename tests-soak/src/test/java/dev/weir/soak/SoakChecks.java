package dev.weir.soak;

import dev.weir.core.EdgeStats;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import dev.weir.testkit.ResourceSample;
import dev.weir.testkit.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The soak's verdicts beyond the testkit's own: counts that must stay flat, throughput and cost per
 * message that must not trend down, and books that must balance. Each trend is a least-squares line
 * over every sample after the warm-up (see {@link Trend}); each bound is stated in its detail line.
 *
 * <p>Thread-safety: the checkers are stateless; they read the probe's samples after the run.
 */
final class SoakChecks {

  /**
   * Throughput (messages tallied per second of wall-clock time) may fall by at most this share of
   * its trend's starting value over the run. On a shared 2-core machine throughput jumps between
   * plateaus (450 k to 830 k messages/s within minutes) as other processes take and release CPU; a
   * single jump halfway through a run tilts the fitted line by about 60% of its start, so only a
   * fall beyond three quarters (a collapse) fails.
   */
  static final double THROUGHPUT_MAX_FALL = 0.75;

  /**
   * Messages per CPU-second of the whole process may fall by at most this share of the trend's
   * start: the cost of a message does not depend on how much CPU the neighbours leave, so this is
   * the tighter of the two throughput bounds.
   */
  static final double EFFICIENCY_MAX_FALL = 0.40;

  private SoakChecks() {}

  /** Live threads: the trend may rise by at most {@code tolerance} threads. */
  static Checker flatThreads(SoakSettings settings, int tolerance) {
    return run ->
        flat("live threads", resources(run, settings, ResourceSample::liveThreads), tolerance);
  }

  /** Open file descriptors: the trend may rise by at most {@code tolerance}. */
  static Checker flatFileDescriptors(SoakSettings settings, int tolerance) {
    return run -> {
      List<Trend.Point> points = resources(run, settings, s -> (double) s.openFileDescriptors());
      if (!points.isEmpty() && points.get(0).y() < 0) {
        return CheckResult.unknown("this JVM does not report open file descriptors");
      }
      return flat("open file descriptors", points, tolerance);
    };
  }

  /** Meters in the registry the schedulers report to: a stopped graph must remove its meters. */
  static Checker flatMeters(
      Supplier<List<SoakProbe.Sample>> probe, SoakSettings settings, int tolerance) {
    return run -> flat("meters", probed(probe, settings, s -> s.meters()), tolerance);
  }

  /**
   * SLF4J loggers held by the binding: a graph with fresh node names must not leave a logger per
   * node behind once it stopped.
   */
  static Checker flatLoggers(
      Supplier<List<SoakProbe.Sample>> probe, SoakSettings settings, int tolerance) {
    return run -> {
      List<Trend.Point> points = probed(probe, settings, s -> s.loggers());
      if (!points.isEmpty() && points.get(0).y() < 0) {
        return CheckResult.unknown("the SLF4J binding is not Logback: cannot count its loggers");
      }
      return flat("SLF4J loggers", points, tolerance);
    };
  }

  /** Throughput in messages per second (wall-clock) over the windows after the warm-up. */
  static Checker throughput(Supplier<List<SoakProbe.Sample>> probe, SoakSettings settings) {
    return run -> {
      Trend t = Trend.fit(windows(probe, settings, false));
      return falls("throughput (messages/s)", t, THROUGHPUT_MAX_FALL);
    };
  }

  /** Messages per CPU-second of the process over the windows after the warm-up. */
  static Checker efficiency(Supplier<List<SoakProbe.Sample>> probe, SoakSettings settings) {
    return run -> {
      Trend t = Trend.fit(windows(probe, settings, true));
      return falls("messages per CPU-second", t, EFFICIENCY_MAX_FALL);
    };
  }

  /**
   * The workload's books against the engine's final report: every message the BLOCK path accepted
   * was tallied or dead-lettered; every CONTROL message and every accepted alert arrived; each
   * lossy sink saw exactly what its edge says it delivered; the heartbeat ticked.
   */
  static Checker books(MixedWorkload w) {
    return run -> {
      if (run.incarnations().isEmpty()) {
        return CheckResult.unknown("no graph was stopped");
      }
      ShutdownReport report = run.last().report();
      List<String> wrong = new ArrayList<>();
      long sent = w.sent.sum();
      long dead = w.blockPathDeadLetters();
      if (sent != w.tallied.get() + dead) {
        wrong.add(
            "BLOCK path: sent "
                + sent
                + " != tallied "
                + w.tallied.get()
                + " + dead-lettered "
                + dead
                + " (missing "
                + (sent - w.tallied.get() - dead)
                + ")");
      }
      if (w.controlSent.sum() != w.controlReceived.get()) {
        wrong.add(
            "CONTROL: sent " + w.controlSent.sum() + " != received " + w.controlReceived.get());
      }
      if (w.alertsSent.sum() != w.alertsReceived.get()) {
        wrong.add("alerts: sent " + w.alertsSent.sum() + " != received " + w.alertsReceived.get());
      }
      sinkMatchesEdge(report, "dropped", w.dropSink.get(), wrong);
      sinkMatchesEdge(report, "latest", w.latestSink.get(), wrong);
      sinkMatchesEdge(report, "merged", w.mergedSink.get(), wrong);
      if (w.ticks.get() == 0) {
        wrong.add("the heartbeat never ticked");
      }
      String detail =
          String.format(
              Locale.ROOT,
              "sent %d = tallied %d + dead-lettered %d; CONTROL %d; alerts %d accepted, %d FAILED"
                  + " at the full FAIL ingress; dropped/latest/merged sinks %d/%d/%d; ticks %d;"
                  + " tenant graphs %d",
              sent,
              w.tallied.get(),
              dead,
              w.controlReceived.get(),
              w.alertsReceived.get(),
              w.alertsFailed.sum(),
              w.dropSink.get(),
              w.latestSink.get(),
              w.mergedSink.get(),
              w.ticks.get(),
              w.tenantsStopped.get());
      return wrong.isEmpty()
          ? CheckResult.valid(detail)
          : CheckResult.invalid(String.join("; ", wrong) + " (" + detail + ")");
    };
  }

  /** Each lossy policy must have been exercised, or the soak did not test it. */
  static Checker everyPolicyExercised(MixedWorkload w) {
    return run -> {
      if (run.incarnations().isEmpty()) {
        return CheckResult.unknown("no graph was stopped");
      }
      ShutdownReport report = run.last().report();
      long dropped = stats(report, "dropped").dropped();
      long evicted = stats(report, "latest").evicted();
      long coalesced = stats(report, "merged").coalesced();
      long failed = w.alertsFailed.sum();
      String detail =
          String.format(
              Locale.ROOT,
              "DROP dropped %d, LATEST evicted %d, COALESCE merged %d, FAIL failed %d",
              dropped,
              evicted,
              coalesced,
              failed);
      return dropped > 0 && evicted > 0 && coalesced > 0 && failed > 0
          ? CheckResult.valid(detail)
          : CheckResult.unknown(
              detail + ": a policy never overflowed, so the soak did not test it");
    };
  }

  private static void sinkMatchesEdge(
      ShutdownReport report, String sink, long seen, List<String> wrong) {
    long delivered = stats(report, sink).delivered();
    if (seen != delivered) {
      wrong.add("sink '" + sink + "' saw " + seen + " but its edge says it delivered " + delivered);
    }
  }

  private static EdgeStats stats(ShutdownReport report, String consumer) {
    for (ShutdownReport.EdgeOutcome e : report.edges()) {
      if (e.consumer().equals(consumer)) {
        return e.stats();
      }
    }
    throw new IllegalStateException("no edge into node '" + consumer + "' in the report");
  }

  private static CheckResult flat(String what, List<Trend.Point> points, int tolerance) {
    Trend t = Trend.fit(points);
    if (!t.fitted()) {
      return CheckResult.unknown(
          what + ": " + points.size() + " samples after the warm-up; a trend needs 3");
    }
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (Trend.Point p : points) {
      min = Math.min(min, p.y());
      max = Math.max(max, p.y());
    }
    String detail =
        String.format(
            Locale.ROOT,
            "%s: %s, range %.0f..%.0f; rises %.1f over the run (bound %d)",
            what,
            t,
            min,
            max,
            t.growth(),
            tolerance);
    return t.growth() <= tolerance
        ? CheckResult.valid(detail)
        : CheckResult.invalid(detail + ": something is kept per graph or per operation");
  }

  private static CheckResult falls(String what, Trend t, double maxFall) {
    if (!t.fitted() || t.start() <= 0) {
      return CheckResult.unknown(
          what + ": " + t.points() + " windows after the warm-up; a trend needs 3");
    }
    double fall = -t.growth() / t.start();
    String detail =
        String.format(
            Locale.ROOT,
            "%s: %s, %+.1f%% over the run, %+.1f%%/hour (bound: a fall of at most %.0f%%)",
            what,
            t,
            -fall * 100,
            t.slope() * 3600 / t.mean() * 100,
            maxFall * 100);
    return fall <= maxFall
        ? CheckResult.valid(detail)
        : CheckResult.invalid(detail + ": the workload slows down as the run goes on");
  }

  /** Resource samples taken after the warm-up and before the actors stopped. */
  private static List<Trend.Point> resources(
      RunRecord run, SoakSettings settings, ToDoubleFunction<ResourceSample> value) {
    List<Trend.Point> points = new ArrayList<>();
    for (ResourceSample s : run.resources()) {
      if (s.elapsedNanos() >= settings.warmUp().toNanos()
          && s.elapsedNanos() <= settings.duration().toNanos()) {
        points.add(new Trend.Point(s.elapsedNanos() / 1e9, value.applyAsDouble(s)));
      }
    }
    return points;
  }

  private static List<Trend.Point> probed(
      Supplier<List<SoakProbe.Sample>> probe,
      SoakSettings settings,
      ToDoubleFunction<SoakProbe.Sample> value) {
    List<Trend.Point> points = new ArrayList<>();
    for (SoakProbe.Sample s : probe.get()) {
      if (s.elapsedNanos() >= settings.warmUp().toNanos()
          && s.elapsedNanos() <= settings.duration().toNanos()) {
        points.add(new Trend.Point(s.elapsedNanos() / 1e9, value.applyAsDouble(s)));
      }
    }
    return points;
  }

  /**
   * Per window between two probes, both after the warm-up and before the actors stopped: messages
   * tallied per wall-clock second, or per CPU-second of the process.
   */
  private static List<Trend.Point> windows(
      Supplier<List<SoakProbe.Sample>> probe, SoakSettings settings, boolean perCpuSecond) {
    List<Trend.Point> points = new ArrayList<>();
    SoakProbe.Sample previous = null;
    for (SoakProbe.Sample s : probe.get()) {
      if (s.elapsedNanos() > settings.duration().toNanos()) {
        break;
      }
      if (previous != null && previous.elapsedNanos() >= settings.warmUp().toNanos()) {
        double messages = s.tallied() - previous.tallied();
        double seconds =
            perCpuSecond
                ? (s.cpuNanos() - previous.cpuNanos()) / 1e9
                : (s.elapsedNanos() - previous.elapsedNanos()) / 1e9;
        if (seconds > 0 && (!perCpuSecond || previous.cpuNanos() >= 0)) {
          points.add(
              new Trend.Point(
                  (s.elapsedNanos() + previous.elapsedNanos()) / 2e9, messages / seconds));
        }
      }
      previous = s;
    }
    return points;
  }
}
