package dev.weir.soak;

import dev.weir.testkit.Checkers;
import dev.weir.testkit.LeakDetector;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.fault.FaultChecks;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs {@link MixedWorkload} as a soak: the testkit's {@link StressTest} drives the actors, samples
 * the process every second, stops the graph, judges and writes {@code report.json}, {@code
 * report.md} and {@code report.html} (throughput, heap after GC with the leak detector's trend and
 * threshold, live threads) under {@code target/weir-reports/}; a {@link SoakProbe} adds what the
 * soak's own verdicts read.
 *
 * <p>Verdicts, all after the warm-up: {@code heap} (heap after GC, least-squares slope, bound in
 * MiB/hour from {@link SoakSettings}); {@code threads}, {@code file descriptors}, {@code meters}
 * and {@code loggers} flat; {@code throughput} and {@code cost per message} without a downward
 * trend beyond {@link SoakChecks}' bounds; {@code books}, {@code engine ledger} and {@code clean
 * stop}; {@code every policy}; {@code faults}, {@code restarted} and {@code liveness} from the
 * fault plan.
 *
 * <p>Thread-safety: use from the test's thread.
 */
final class SoakRun {

  private SoakRun() {}

  /**
   * Runs the soak and returns its result (never throws for a failed run).
   *
   * @param name the run's name, in its folder's name and every line it prints
   * @param workload the workload (steady or with a planted leak)
   * @param settings duration, warm-up and bounds
   * @param seed the run seed (the test's {@code @WeirTest} seed)
   */
  static StressResult run(String name, MixedWorkload workload, SoakSettings settings, long seed) {
    Consumer<String> console = System.err::println;
    console.accept(
        String.format(
            "[soak %s] %s, warm-up %s; heap bound %.0f MiB/hour; throughput may fall %.0f%%,"
                + " messages per CPU-second %.0f%% over the run",
            name,
            settings.duration(),
            settings.warmUp(),
            settings.heapMiBPerHour(),
            SoakChecks.THROUGHPUT_MAX_FALL * 100,
            SoakChecks.EFFICIENCY_MAX_FALL * 100));
    try (SoakProbe probe = SoakProbe.start(workload, settings, name, console)) {
      return StressTest.named(name)
          .graph(workload::graph)
          .scheduler(workload::scheduler)
          .actors("putter", 2, workload.putter())
          .actor("batcher", workload.batcher())
          .actor("commander", workload.commander())
          .actor("alerter", workload.alerter())
          .actor("tenants", workload.tenantChurn())
          .duration(settings.duration())
          .seed(seed)
          .faults(workload.faults)
          .liveness(Duration.ofSeconds(60))
          .statusInterval(settings.statusInterval())
          .stopTimeout(Duration.ofSeconds(60))
          .console(console)
          .check(
              "heap", LeakDetector.of(settings.heapBytesPerMinute(), settings.warmUp()).checker())
          .check("threads", SoakChecks.flatThreads(settings, 8))
          .check("file descriptors", SoakChecks.flatFileDescriptors(settings, 16))
          .check("meters", SoakChecks.flatMeters(probe::samples, settings, 200))
          .check("loggers", SoakChecks.flatLoggers(probe::samples, settings, 8))
          .check("throughput", SoakChecks.throughput(probe::samples, settings))
          .check("cost per message", SoakChecks.efficiency(probe::samples, settings))
          .check("books", SoakChecks.books(workload))
          .check("every policy", SoakChecks.everyPolicyExercised(workload))
          .check("engine ledger", FaultChecks.balancedLedgers())
          .check("restarted", FaultChecks.restarted("parse", 1))
          .check("clean stop", Checkers.cleanShutdown())
          .artifacts(SoakSettings.reports())
          .run();
    }
  }
}
