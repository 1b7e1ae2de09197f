package dev.weir.testkit.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * Renders {@code report.md}: the summary a person reads in a minute. Verdict, seed and replay
 * command first, then each check, the ledger, and one line per series (first, last, min, max).
 *
 * <p>Thread-safety: stateless.
 */
public final class MarkdownReport {

  private MarkdownReport() {}

  /**
   * Renders the report.
   *
   * @param report the map {@code report.json} is written from
   * @return Markdown text
   */
  public static String render(Map<String, Object> report) {
    StringBuilder md = new StringBuilder();
    boolean passed = ReportFields.passed(report);
    md.append("# Stress run `")
        .append(ReportFields.text(report, "name"))
        .append("`: ")
        .append(passed ? "PASSED" : "FAILED")
        .append("\n\n");
    md.append("- seed: `").append(ReportFields.text(report, "seed")).append('`');
    md.append(Boolean.TRUE.equals(report.get("deterministic")) ? " (deterministic)" : "");
    md.append('\n');
    if (report.get("traceHash") != null) {
      md.append("- trace hash: `").append(ReportFields.text(report, "traceHash")).append("`\n");
    }
    md.append("- operations: ")
        .append(ReportFields.text(report, "operations"))
        .append(" in ")
        .append(ReportFields.text(report, "elapsedMillis"))
        .append(" ms, ")
        .append(ReportFields.text(report, "graphs"))
        .append(" graphs\n");
    Map<String, Object> scenario = ReportFields.scenario(report);
    if (ReportFields.map(scenario, "latency") != null) {
      md.append("- latency p50 / p99 / max: ")
          .append(SuiteFields.latency(scenario))
          .append(" ms\n");
    }
    Map<String, Object> load = ReportFields.map(scenario, "load");
    if (load != null) {
      md.append("- load: ").append(SuiteFields.load(load)).append('\n');
    }
    Map<String, Object> saturation = ReportFields.map(scenario, "saturation");
    if (saturation != null) {
      md.append("- saturation knee: ")
          .append(SuiteFields.text(saturation.get("knee")))
          .append("/s (first failing ")
          .append(SuiteFields.text(saturation.get("firstFailing")))
          .append("/s)\n");
    }
    md.append('\n');
    String failure = ReportFields.failure(report);
    if (failure != null) {
      md.append("## Failure\n\n```\n").append(failure.strip()).append("\n```\n\n");
    }
    md.append("## Checks\n\n| check | verdict | detail |\n|---|---|---|\n");
    for (Map.Entry<String, Map<String, Object>> v : ReportFields.verdicts(report).entrySet()) {
      md.append("| ")
          .append(cell(v.getKey()))
          .append(" | ")
          .append(cell(String.valueOf(v.getValue().get("verdict"))))
          .append(" | ")
          .append(cell(String.valueOf(v.getValue().get("detail"))))
          .append(" |\n");
    }
    md.append('\n');
    Map<String, Object> ledger = ReportFields.map(report, "ledger");
    md.append("## Ledger\n\n");
    if (ledger == null) {
      md.append("No conservation ledger in this run.\n\n");
    } else {
      md.append(ledgerTable(ledger)).append('\n');
    }
    md.append("## Over time\n\n");
    for (Series s : ReportFields.series(report)) {
      md.append("- ").append(s.title()).append(": ").append(summary(s)).append('\n');
    }
    md.append("\nCharts: `report.html` in this folder; all numbers: `report.json`.\n\n");
    md.append(passed ? "## Replay\n\n" : "## Replay this failure\n\n");
    md.append("```\n").append(ReportFields.text(report, "replay")).append("\n```\n");
    return md.toString();
  }

  /** The ledger as a Markdown table: a header row, a rule and one row, each ending a line. */
  static String ledgerTable(Map<String, Object> ledger) {
    StringBuilder head = new StringBuilder("|");
    StringBuilder rule = new StringBuilder("|");
    StringBuilder row = new StringBuilder("|");
    for (Map.Entry<String, Object> e : ledger.entrySet()) {
      head.append(' ').append(e.getKey()).append(" |");
      rule.append("---:|");
      row.append(' ').append(e.getValue()).append(" |");
    }
    return head + "\n" + rule + "\n" + row + "\n";
  }

  private static String summary(Series s) {
    String recorded = s.notRecorded();
    if (recorded != null) {
      return recorded;
    }
    List<Series.Point> p = s.points();
    if (p.isEmpty()) {
      return "no samples";
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Series.Point point : p) {
      min = Math.min(min, point.value());
      max = Math.max(max, point.value());
    }
    boolean bytes = "bytes".equals(s.unit());
    DoubleFunction<String> v =
        bytes
            ? value -> String.format(Locale.ROOT, "%.1f MiB", value / (1024.0 * 1024.0))
            : value -> SvgChart.number(value) + " " + s.unit();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%s first, %s last (min %s, max %s; %d samples)",
            v.apply(p.get(0).value()),
            v.apply(p.get(p.size() - 1).value()),
            v.apply(min),
            v.apply(max),
            p.size()));
    Series.Line trend = s.trend();
    Series.Line threshold = s.threshold();
    if (trend != null) {
      sb.append("; ").append(trend.label());
    }
    if (threshold != null) {
      sb.append(", ").append(threshold.label());
    }
    return sb.toString();
  }

  private static String cell(String text) {
    return text.strip().replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
  }
}
