package dev.weir.testkit.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders {@code report.html}: one self-contained page (inline CSS, inline SVG charts, no script,
 * no external reference) that opens offline, prints, and diffs. The page is well-formed XML (XHTML
 * syntax), so a test can read it with the JDK's XML parser. Charts: throughput, latency
 * percentiles, heap after GC (with the leak detector's threshold and trend), live threads; a series
 * the run did not record is drawn as a frame that says so.
 *
 * <p>Thread-safety: stateless.
 */
public final class HtmlReport {

  private static final double MIB = 1024.0 * 1024.0;

  static final String STYLE =
      "body{font-family:sans-serif;margin:2em;max-width:60em;color:#222}"
          + "h1 .PASSED{color:#2e7d32}h1 .FAILED{color:#c62828}"
          + "table{border-collapse:collapse;margin:1em 0}"
          + "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}"
          + "td.num{text-align:right}pre{background:#f6f6f6;padding:.8em;overflow-x:auto}"
          + "svg.chart{display:block;margin:1em 0}svg text{font-size:11px;fill:#333}"
          + "svg text.title{font-size:13px;font-weight:bold}"
          + "svg text.threshold-label{fill:#c62828}svg text.trend-label{fill:#8a4fbf}";

  private HtmlReport() {}

  /**
   * Renders the page.
   *
   * @param report the map {@code report.json} is written from
   * @return the HTML document
   */
  public static String render(Map<String, Object> report) {
    String name = ReportFields.text(report, "name");
    String verdict = ReportFields.passed(report) ? "PASSED" : "FAILED";
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
        .append(esc("Stress run " + name + ": " + verdict))
        .append("</title>\n<style>")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n");
    h.append("<h1>Stress run <code>")
        .append(esc(name))
        .append("</code>: <span id=\"verdict\" class=\"")
        .append(verdict)
        .append("\">")
        .append(verdict)
        .append("</span></h1>\n<table id=\"run\">\n");
    row(h, "seed", ReportFields.text(report, "seed"));
    row(h, "deterministic", ReportFields.text(report, "deterministic"));
    if (report.get("traceHash") != null) {
      row(h, "trace hash", ReportFields.text(report, "traceHash"));
    }
    row(h, "operations", ReportFields.text(report, "operations"));
    row(h, "elapsed", ReportFields.text(report, "elapsedMillis") + " ms");
    row(h, "graphs", ReportFields.text(report, "graphs"));
    Map<String, Object> scenario = ReportFields.scenario(report);
    if (ReportFields.map(scenario, "latency") != null) {
      row(h, "latency", SuiteFields.latency(scenario) + " ms (p50 / p99 / max)");
    }
    Map<String, Object> saturation = ReportFields.map(scenario, "saturation");
    if (saturation != null) {
      row(h, "saturation knee", SuiteFields.text(saturation.get("knee")) + "/s");
    }
    h.append("</table>\n");
    String failure = ReportFields.failure(report);
    if (failure != null) {
      h.append("<h2>Failure</h2>\n<pre id=\"failure\">")
          .append(esc(failure.strip()))
          .append("</pre>\n");
    }
    h.append("<h2>Checks</h2>\n<table id=\"checks\">\n<tr><th>check</th><th>verdict</th>")
        .append("<th>detail</th></tr>\n");
    for (Map.Entry<String, Map<String, Object>> v : ReportFields.verdicts(report).entrySet()) {
      h.append("<tr><td>")
          .append(esc(v.getKey()))
          .append("</td><td class=\"verdict\">")
          .append(esc(String.valueOf(v.getValue().get("verdict"))))
          .append("</td><td><pre>")
          .append(esc(String.valueOf(v.getValue().get("detail"))))
          .append("</pre></td></tr>\n");
    }
    h.append("</table>\n");
    ledger(h, "Ledger", ReportFields.map(report, "ledger"));
    h.append("<h2>Over time</h2>\n");
    for (Series s : ReportFields.series(report)) {
      h.append(chart(s));
    }
    h.append("<h2>Replay</h2>\n<pre id=\"replay\">")
        .append(esc(ReportFields.text(report, "replay")))
        .append("</pre>\n</body>\n</html>\n");
    return h.toString();
  }

  /**
   * Draws one series; the chart's id is {@code chart-} and the series' id.
   *
   * @param s the series
   * @return an svg element
   */
  static String chart(Series s) {
    return chart("chart-" + s.id(), s);
  }

  /**
   * Draws one series under the given svg id.
   *
   * @param id the svg element's id
   * @param s the series
   * @return an svg element
   */
  static String chart(String id, Series s) {
    String reason = s.notRecorded();
    if (reason != null) {
      return SvgChart.notRecorded(id, s.title(), reason);
    }
    boolean bytes = "bytes".equals(s.unit());
    double scale = bytes ? MIB : 1;
    double[] xs = new double[s.points().size()];
    double[] ys = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = s.points().get(i).elapsedMillis() / 1000.0;
      ys[i] = s.points().get(i).value();
    }
    SvgChart chart =
        SvgChart.of(id, s.title(), bytes ? "MiB" : s.unit())
            .data(xs, ys)
            .format(v -> SvgChart.number(Math.round(v / scale * 100) / 100.0));
    for (Series.Curve c : s.more()) {
      double[] cx = new double[c.points().size()];
      double[] cy = new double[cx.length];
      for (int i = 0; i < cx.length; i++) {
        cx[i] = c.points().get(i).elapsedMillis() / 1000.0;
        cy[i] = c.points().get(i).value();
      }
      chart.more(c.label(), cx, cy);
    }
    Series.Line threshold = s.threshold();
    if (threshold != null) {
      draw(chart, "threshold", threshold);
    }
    Series.Line trend = s.trend();
    if (trend != null) {
      draw(chart, "trend", trend);
    }
    return chart.render();
  }

  private static void draw(SvgChart chart, String cssClass, Series.Line line) {
    chart.line(
        cssClass,
        line.label(),
        line.fromMillis() / 1000.0,
        line.from(),
        line.toMillis() / 1000.0,
        line.to());
  }

  /** The ledger as a one-row table with id {@code ledger} under a heading; nothing if null. */
  static void ledger(StringBuilder h, String heading, @Nullable Map<String, Object> ledger) {
    if (ledger == null) {
      return;
    }
    h.append("<h2>").append(esc(heading)).append("</h2>\n<table id=\"ledger\">\n<tr>");
    for (String key : ledger.keySet()) {
      h.append("<th>").append(esc(key)).append("</th>");
    }
    h.append("</tr>\n<tr>");
    for (Object value : ledger.values()) {
      h.append("<td class=\"num\">").append(esc(String.valueOf(value))).append("</td>");
    }
    h.append("</tr>\n</table>\n");
  }

  static void row(StringBuilder h, String key, String value) {
    h.append("<tr><th>")
        .append(esc(key))
        .append("</th><td id=\"")
        .append(esc(key.replace(' ', '-')))
        .append("\">")
        .append(esc(value))
        .append("</td></tr>\n");
  }

  private static String esc(String text) {
    return SvgChart.escape(text);
  }
}
