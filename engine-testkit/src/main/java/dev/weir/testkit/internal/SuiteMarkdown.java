package dev.weir.testkit.internal;

import java.util.List;
import java.util.Map;

/**
 * Renders a suite's {@code report.md}: the verdict, seed, trace hash and replay command first, one
 * table row per scenario (verdict, operations, throughput, latency, faults, folder), then what
 * failed and why, the summed ledger, and the load scenarios' accounting and saturation knees.
 *
 * <p>Thread-safety: stateless.
 */
public final class SuiteMarkdown {

  private SuiteMarkdown() {}

  /**
   * Renders the report.
   *
   * @param suite the map the suite's {@code report.json} is written from
   * @return Markdown text
   */
  public static String render(Map<String, Object> suite) {
    List<Map<String, Object>> scenarios = SuiteFields.scenarios(suite);
    long failed = scenarios.stream().filter(s -> !ReportFields.passed(s)).count();
    StringBuilder md = new StringBuilder();
    md.append("# Stress suite `")
        .append(ReportFields.text(suite, "name"))
        .append("`: ")
        .append(SuiteFields.verdict(suite))
        .append("\n\n");
    md.append("- seed: `").append(SuiteFields.text(suite.get("seed"))).append('`');
    md.append(Boolean.TRUE.equals(suite.get("deterministic")) ? " (deterministic)\n" : "\n");
    if (suite.get("traceHash") != null) {
      md.append("- trace hash: `").append(ReportFields.text(suite, "traceHash")).append("`\n");
    }
    md.append("- scenarios: ")
        .append(scenarios.size())
        .append(", ")
        .append(scenarios.size() - failed)
        .append(" passed, ")
        .append(failed)
        .append(" failed, in ")
        .append(ReportFields.text(suite, "elapsedMillis"))
        .append(" ms\n");
    if (suite.get("replay") != null) {
      md.append("- replay: `").append(ReportFields.text(suite, "replay")).append("`\n");
    }
    md.append("\n## Scenarios\n\n")
        .append("| scenario | verdict | operations | throughput/s | latency p50 / p99 / max ms")
        .append(" | faults | folder |\n|---|---|---:|---:|---:|---|---|\n");
    for (Map<String, Object> s : scenarios) {
      md.append("| ")
          .append(ReportFields.text(s, "name"))
          .append(" | ")
          .append(SuiteFields.verdict(s))
          .append(" | ")
          .append(SuiteFields.text(s.get("operations")))
          .append(" | ")
          .append(SuiteFields.text(s.get("throughputPerSecond")))
          .append(" | ")
          .append(SuiteFields.latency(s))
          .append(" | ")
          .append(SuiteFields.faults(s))
          .append(" | `")
          .append(ReportFields.text(s, "folder"))
          .append("` |\n");
    }
    if (failed > 0) {
      md.append("\n## What failed\n");
      for (Map<String, Object> s : scenarios) {
        if (ReportFields.passed(s)) {
          continue;
        }
        md.append("\n### ").append(ReportFields.text(s, "name")).append("\n\n");
        String failure = ReportFields.failure(SuiteFields.wrap(s));
        if (failure != null) {
          md.append("- failure: ").append(firstLine(failure)).append('\n');
        }
        for (String check : SuiteFields.failedChecks(s)) {
          md.append("- ").append(firstLine(check)).append('\n');
        }
        md.append("- artifacts: `").append(ReportFields.text(s, "folder")).append("`\n");
        md.append("- replay: `").append(ReportFields.text(s, "replay")).append("`\n");
      }
    }
    Map<String, Object> ledger = ReportFields.map(suite, "ledger");
    md.append("\n## Ledger (all scenarios)\n\n");
    if (ledger == null) {
      md.append("No scenario kept a conservation ledger.\n");
    } else {
      md.append(MarkdownReport.ledgerTable(ledger));
    }
    for (Map<String, Object> s : scenarios) {
      Map<String, Object> load = ReportFields.map(s, "load");
      Map<String, Object> saturation = ReportFields.map(s, "saturation");
      if (load == null && saturation == null) {
        continue;
      }
      md.append("\n## Load: ").append(ReportFields.text(s, "name")).append("\n\n");
      if (load != null) {
        md.append("- ").append(SuiteFields.load(load)).append('\n');
      }
      if (saturation != null) {
        md.append("- saturation search (p")
            .append(SuiteFields.text(saturation.get("percentile")))
            .append(" <= ")
            .append(SuiteFields.ms(saturation.get("boundMillis")))
            .append(" ms): knee ")
            .append(SuiteFields.text(saturation.get("knee")))
            .append("/s, first failing ")
            .append(SuiteFields.text(saturation.get("firstFailing")))
            .append("/s\n");
      }
    }
    md.append("\nCharts per scenario: `report.html` in this folder; all numbers: `report.json`;")
        .append(" each scenario's own reports and artifacts: its folder.\n");
    return md.toString();
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int nl = stripped.indexOf('\n');
    return (nl < 0 ? stripped : stripped.substring(0, nl)).replace("|", "\\|");
  }
}
