package dev.weir.testkit;

import dev.weir.testkit.fault.Fault;
import dev.weir.testkit.fault.FaultPlan;
import dev.weir.testkit.internal.Artifacts;
import dev.weir.testkit.internal.GitRevision;
import dev.weir.testkit.internal.HtmlReport;
import dev.weir.testkit.internal.MarkdownReport;
import dev.weir.testkit.internal.ShutdownReading;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Assembles a run's {@code report.json}, renders {@code report.md} and {@code report.html} from the
 * same map and, for a failed run, writes the other artifacts beside them.
 *
 * <p>Thread-safety: stateless; called by the run's thread after every actor stopped.
 */
final class RunReport {

  private RunReport() {}

  /**
   * Builds the report map, writes the run's folder and returns the map (kept by the result, so a
   * {@link SuiteReport} can add the run to a suite and attach load results to it).
   */
  static Map<String, Object> write(
      StressResult result,
      @Nullable ConservationLedger<?> ledger,
      List<ActorRunner> runners,
      Map<String, Object> configuration,
      @Nullable FaultPlan faults,
      List<Long> operationsAtSamples,
      @Nullable LeakDetector leaks) {
    RunRecord run = result.run();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("name", run.name());
    report.put("seed", run.seed());
    report.put("deterministic", run.deterministic());
    report.put("passed", result.passed());
    report.put("traceHash", result.traceHash().isPresent() ? result.traceHash().getAsLong() : null);
    report.put("operations", run.operations());
    report.put("elapsedMillis", run.elapsed().toMillis());
    report.put("graphs", run.incarnations().size());
    report.put("ledger", ledger == null ? null : ledgerFields(ledger.totals(run)));
    Map<String, Object> scenario = new LinkedHashMap<>();
    scenario.put("name", run.name());
    scenario.put("passed", result.passed());
    scenario.put("failure", result.failure().orElse(null));
    scenario.put("verdicts", verdicts(result.checks()));
    scenario.put("operations", run.operations());
    scenario.put("throughputPerSecond", perSecond(run.operations(), run.elapsed().toNanos()));
    scenario.put("latency", null);
    scenario.put("actors", actorFields(runners));
    scenario.put("faults", faultFields(faults));
    report.put("scenarios", List.of(scenario));
    report.put("configuration", configuration);
    report.put("replay", result.replayCommand());
    report.put("gitRevision", GitRevision.current());
    report.put("series", RunSeries.of(run.resources(), operationsAtSamples, leaks));
    Map<String, String> files = new LinkedHashMap<>();
    if (!result.passed()) {
      files.put("seed.txt", run.seed() + "\n");
      files.put("replay.txt", result.replayCommand() + "\n");
      files.put("summary.txt", result.summary() + "\n");
      files.put("configuration.txt", configuration.toString() + "\n");
      files.put("snapshot.txt", snapshots(run));
      files.put("resources.csv", resources(run));
      files.put("revision.txt", GitRevision.current() + "\n");
      files.putAll(result.attachments());
      report.put("shutdowns", shutdowns(run));
    }
    render(result.folder(), report, files);
    return report;
  }

  /**
   * Writes {@code report.json} and, rendered from the very same map, {@code report.md} and {@code
   * report.html}, with the other files, into the folder.
   */
  static void render(Path folder, Map<String, Object> report, Map<String, String> files) {
    Map<String, String> all = new LinkedHashMap<>(files);
    all.put("report.md", MarkdownReport.render(report));
    all.put("report.html", HtmlReport.render(report));
    Artifacts.write(folder, report, all);
  }

  /** Operations per second, to one decimal; 0 for a run of no length. */
  static double perSecond(long count, long nanos) {
    return nanos <= 0 ? 0 : Math.round(count * 1e10 / nanos) / 10.0;
  }

  private static Map<String, Object> ledgerFields(ConservationLedger.Totals t) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("sent", t.sent());
    fields.put("delivered", t.delivered());
    fields.put("dropped", t.dropped());
    fields.put("evicted", t.evicted());
    fields.put("coalesced", t.coalesced());
    fields.put("deadLettered", t.deadLettered());
    fields.put("lost", t.lost());
    fields.put("duplicated", t.duplicated());
    return fields;
  }

  private static Map<String, Object> verdicts(Map<String, CheckResult> checks) {
    Map<String, Object> verdicts = new LinkedHashMap<>();
    for (Map.Entry<String, CheckResult> check : checks.entrySet()) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("verdict", check.getValue().verdict().name());
      v.put("detail", check.getValue().detail());
      verdicts.put(check.getKey(), v);
    }
    return verdicts;
  }

  /** Each fault: {@code verdict} FIRED (with {@code fired} > 0) or NOT_EXERCISED. */
  private static List<Object> faultFields(@Nullable FaultPlan plan) {
    List<Object> faults = new ArrayList<>();
    if (plan != null) {
      for (Fault f : plan.faults()) {
        Map<String, Object> fault = new LinkedHashMap<>();
        fault.put("name", f.name());
        fault.put("schedule", f.describe());
        fault.put("verdict", f.fired() > 0 ? "FIRED" : "NOT_EXERCISED");
        fault.put("fired", f.fired());
        faults.add(fault);
      }
    }
    return faults;
  }

  private static List<Object> actorFields(List<ActorRunner> runners) {
    List<Object> actors = new ArrayList<>();
    for (ActorRunner r : runners) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("name", r.name());
      a.put("counted", r.counted());
      a.put("notCounted", r.notCounted());
      a.put("resets", r.resets());
      actors.add(a);
    }
    return actors;
  }

  private static List<Object> shutdowns(RunRecord run) {
    List<Object> shutdowns = new ArrayList<>();
    for (RunRecord.Incarnation inc : run.incarnations()) {
      shutdowns.add(ShutdownReading.fields(inc.report()));
    }
    return shutdowns;
  }

  private static String snapshots(RunRecord run) {
    StringBuilder sb = new StringBuilder();
    for (RunRecord.Incarnation inc : run.incarnations()) {
      sb.append("=== graph ").append(inc.index()).append(": before stop\n");
      sb.append(inc.beforeStop().render());
      sb.append("=== graph ").append(inc.index()).append(": after stop\n");
      sb.append(inc.afterStop().render());
      sb.append(inc.report().render());
    }
    return sb.toString();
  }

  private static String resources(RunRecord run) {
    StringBuilder sb =
        new StringBuilder(
            "elapsedMillis,heapAfterGcBytes,heapUsedBytes,gcCount,gcTimeMillis,liveThreads,"
                + "processCpuNanos,openFileDescriptors,allocatedBytes\n");
    for (ResourceSample s : run.resources()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%d,%d,%d,%d,%d,%d,%d,%d,%d%n",
              s.elapsedNanos() / 1_000_000,
              s.heapAfterGcBytes(),
              s.heapUsedBytes(),
              s.gcCount(),
              s.gcTimeMillis(),
              s.liveThreads(),
              s.processCpuNanos(),
              s.openFileDescriptors(),
              s.allocatedBytes()));
    }
    return sb.toString();
  }
}
