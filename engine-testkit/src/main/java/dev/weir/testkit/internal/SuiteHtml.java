package dev.weir.testkit.internal;

import java.util.List;
import java.util.Map;

/**
 * Renders a suite's {@code report.html}: one self-contained page (inline CSS and SVG, no script, no
 * external reference; well-formed XHTML syntax) with the suite's verdict, seed and trace hash, a
 * table of the scenarios, the summed ledger and, per scenario, its failed checks and four charts:
 * throughput, latency percentiles (with the p99 bound), heap after GC (with the leak detector's
 * trend and threshold) and live threads. A chart's id is {@code chart-SCENARIO-SERIES} ({@code
 * SCENARIO} the scenario's name with characters other than letters, digits, {@code _} and {@code -}
 * replaced by {@code _}).
 *
 * <p>Thread-safety: stateless.
 */
public final class SuiteHtml {

  private SuiteHtml() {}

  /**
   * Renders the page.
   *
   * @param suite the map the suite's {@code report.json} is written from
   * @return the HTML document
   */
  public static String render(Map<String, Object> suite) {
    String name = ReportFields.text(suite, "name");
    String verdict = SuiteFields.verdict(suite);
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
        .append(esc("Stress suite " + name + ": " + verdict))
        .append("</title>\n<style>")
        .append(HtmlReport.STYLE)
        .append("</style>\n</head>\n<body>\n<h1>Stress suite <code>")
        .append(esc(name))
        .append("</code>: <span id=\"verdict\" class=\"")
        .append(verdict)
        .append("\">")
        .append(verdict)
        .append("</span></h1>\n<table id=\"suite\">\n");
    HtmlReport.row(h, "seed", SuiteFields.text(suite.get("seed")));
    HtmlReport.row(h, "deterministic", ReportFields.text(suite, "deterministic"));
    if (suite.get("traceHash") != null) {
      HtmlReport.row(h, "trace hash", ReportFields.text(suite, "traceHash"));
    }
    HtmlReport.row(h, "elapsed", ReportFields.text(suite, "elapsedMillis") + " ms");
    if (suite.get("replay") != null) {
      HtmlReport.row(h, "replay", ReportFields.text(suite, "replay"));
    }
    h.append("</table>\n");
    List<Map<String, Object>> scenarios = SuiteFields.scenarios(suite);
    h.append("<h2>Scenarios</h2>\n<table id=\"scenarios\">\n<tr><th>scenario</th><th>verdict</th>")
        .append("<th>operations</th><th>throughput/s</th><th>latency p50 / p99 / max ms</th>")
        .append("<th>faults</th><th>folder</th></tr>\n");
    for (Map<String, Object> s : scenarios) {
      h.append("<tr><td>")
          .append(esc(ReportFields.text(s, "name")))
          .append("</td><td class=\"verdict\">")
          .append(SuiteFields.verdict(s))
          .append("</td><td class=\"num\">")
          .append(esc(SuiteFields.text(s.get("operations"))))
          .append("</td><td class=\"num\">")
          .append(esc(SuiteFields.text(s.get("throughputPerSecond"))))
          .append("</td><td class=\"num\">")
          .append(esc(SuiteFields.latency(s)))
          .append("</td><td>")
          .append(esc(SuiteFields.faults(s)))
          .append("</td><td><code>")
          .append(esc(ReportFields.text(s, "folder")))
          .append("</code></td></tr>\n");
    }
    h.append("</table>\n");
    HtmlReport.ledger(h, "Ledger (all scenarios)", ReportFields.map(suite, "ledger"));
    for (Map<String, Object> s : scenarios) {
      String slug = SuiteFields.slug(ReportFields.text(s, "name"));
      h.append("<h2 id=\"scenario-")
          .append(esc(slug))
          .append("\">")
          .append(esc(ReportFields.text(s, "name")))
          .append(": ")
          .append(SuiteFields.verdict(s))
          .append("</h2>\n");
      List<String> failedChecks = SuiteFields.failedChecks(s);
      String failure = ReportFields.failure(SuiteFields.wrap(s));
      if (failure != null || !failedChecks.isEmpty()) {
        h.append("<pre class=\"failed\">");
        if (failure != null) {
          h.append(esc("failure: " + failure.strip())).append('\n');
        }
        for (String check : failedChecks) {
          h.append(esc(check)).append('\n');
        }
        h.append(esc("replay: " + ReportFields.text(s, "replay"))).append("</pre>\n");
      }
      if (s.get("series") instanceof List<?> series) {
        for (Object o : series) {
          if (o instanceof Series one) {
            h.append(HtmlReport.chart("chart-" + slug + "-" + one.id(), one));
          }
        }
      }
    }
    return h.append("</body>\n</html>\n").toString();
  }

  private static String esc(String text) {
    return SvgChart.escape(text);
  }
}
