package dev.weir.testkit.internal;

import dev.weir.scheduler.ShutdownReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the toolkit reads from a {@link ShutdownReport}, in one place, so that a change of the
 * report's columns touches only this class.
 */
public final class ShutdownReading {

  private ShutdownReading() {}

  /** What went wrong with a stop, one line each; empty for a clean stop. */
  public static List<String> problems(ShutdownReport report) {
    List<String> problems = new ArrayList<>();
    if (report.timedOut()) {
      problems.add("graph '" + report.graph() + "': the stop timed out after " + report.elapsed());
    }
    for (String failure : report.stopFailures()) {
      problems.add("graph '" + report.graph() + "': " + failure);
    }
    return problems;
  }

  /** The report as JSON-ready fields. */
  public static Map<String, Object> fields(ShutdownReport report) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("graph", report.graph());
    fields.put("timedOut", report.timedOut());
    fields.put("elapsedMillis", report.elapsed().toMillis());
    fields.put("deadLetters", report.deadLetters());
    fields.put("undelivered", report.undelivered());
    fields.put("stopFailures", report.stopFailures());
    List<Map<String, Object>> edges = new ArrayList<>();
    for (ShutdownReport.EdgeOutcome e : report.edges()) {
      Map<String, Object> edge = new LinkedHashMap<>();
      edge.put("id", e.id());
      edge.put("delivered", e.delivered());
      edge.put("dropped", e.dropped());
      edge.put("evicted", e.evicted());
      edge.put("coalesced", e.coalesced());
      edge.put("failed", e.failed());
      edge.put("undelivered", e.undelivered());
      edges.add(edge);
    }
    fields.put("edges", edges);
    fields.put("ledgerBalanced", report.balanced());
    fields.put("ledger", report.ledger().render());
    return fields;
  }
}
