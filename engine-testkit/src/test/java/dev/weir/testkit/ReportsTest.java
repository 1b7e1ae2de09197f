package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weir.testkit.internal.Artifacts;
import dev.weir.testkit.internal.SvgChart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code report.md} and {@code report.html} of real runs, read back: the HTML with the JDK's XML
 * parser (the page is XHTML), its charts' polylines mapped back to values and compared with the
 * run's samples and with {@code report.json}.
 */
class ReportsTest {

  private static final String[] CHARTS = {
    "chart-throughput", "chart-latency", "chart-heapAfterGc", "chart-threads"
  };

  private final ConservationLedger<Item> ledger = ConservationLedger.of(Item.class, Item::id);
  private final DeliveryOrder order = DeliveryOrder.create();
  private final AtomicLong ids = new AtomicLong();

  @Test
  void passingRun_htmlChartsHoldTheRunsSamples(@TempDir Path artifacts) throws Exception {
    StressResult result =
        StressTest.named("report-pass")
            .graph(Pipelines.through(Pipelines::forwarder, ledger, order))
            .scheduler(b -> b.deadLetters(ledger.deadLetters()))
            .actor("feeder", Pipelines.feeder(ids, ledger))
            .operations(2_000)
            .monitorInterval(Duration.ofMillis(5))
            .ledger(ledger)
            .check("fifo", order.fifo())
            .artifacts(artifacts)
            .console(line -> {})
            .run();
    result.assertPassed();
    Document html = html(result);
    List<ResourceSample> samples = result.run().resources();

    assertSelfContained(result);
    assertThat(html.getElementsByTagName("title").item(0).getTextContent())
        .isEqualTo("Stress run report-pass: PASSED");
    assertThat(Pages.byId(html, "seed").getTextContent()).isEqualTo(Long.toString(result.seed()));
    assertThat(Pages.byId(html, "verdict").getTextContent()).isEqualTo("PASSED");
    for (String chart : CHARTS) {
      assertThat(Pages.byId(html, chart)).as(chart).isNotNull();
    }
    assertValues(
        values(Pages.byId(html, "chart-threads")),
        samples.stream().mapToDouble(s -> s.liveThreads()).toArray(),
        Pages.byId(html, "chart-threads"));
    assertThat(values(Pages.byId(html, "chart-throughput"))).hasSize(samples.size());
    assertValues(
        values(Pages.byId(html, "chart-throughput")),
        jsonValues(result, "throughput"),
        Pages.byId(html, "chart-throughput"));
    double[] heap =
        samples.stream()
            .filter(s -> s.heapAfterGcBytes() >= 0)
            .mapToDouble(s -> s.heapAfterGcBytes())
            .toArray();
    if (heap.length > 0) {
      assertValues(
          values(Pages.byId(html, "chart-heapAfterGc")),
          heap,
          Pages.byId(html, "chart-heapAfterGc"));
      assertThat(jsonValues(result, "heapAfterGc")).containsExactly(heap);
    }
    Element latency = Pages.byId(html, "chart-latency");
    assertThat(latency.getElementsByTagName("polyline").getLength()).isZero();
    assertThat(latency.getTextContent()).contains("not recorded in this run");
    double sum = 0;
    for (double rate : jsonValues(result, "throughput")) {
      sum += rate;
    }
    assertThat(sum)
        .as("the run did operations, so the throughput chart is not flat at zero")
        .isPositive();
  }

  @Test
  void plantedLeak_heapChartRises_andItsTrendClimbsAboveTheThreshold(@TempDir Path artifacts)
      throws Exception {
    List<byte[]> retained = Collections.synchronizedList(new ArrayList<>());
    AtomicLong fed = new AtomicLong();
    Actor feeder = Pipelines.feeder(ids, ledger);
    long threshold = 1L << 20;
    StressResult result =
        StressTest.named("report-leak")
            .graph(Pipelines.through(() -> PlantedLeak.node(retained), ledger, order))
            .scheduler(b -> b.deadLetters(ledger.deadLetters()))
            .actor(
                "feeder",
                (env, random) -> {
                  Outcome outcome = feeder.operate(env, random);
                  if (fed.incrementAndGet() % 40 == 0) {
                    collect();
                  }
                  return outcome;
                })
            .operations(480)
            .monitorInterval(Duration.ofMillis(5))
            .ledger(ledger)
            .check("heap", LeakDetector.of(threshold, Duration.ZERO).checker())
            .artifacts(artifacts)
            .console(line -> {})
            .run();

    assertThat(retained).as("the planted leak fired").hasSize(480);
    assertThat(result.check("heap").verdict()).as(result.summary()).isEqualTo(Verdict.INVALID);
    Element heap = Pages.byId(html(result), "chart-heapAfterGc");
    double[] values = values(heap);
    double[] afterGc =
        result.run().resources().stream()
            .filter(s -> s.heapAfterGcBytes() >= 0)
            .mapToDouble(s -> s.heapAfterGcBytes())
            .toArray();
    assertValues(values, afterGc, heap);
    assertThat(jsonValues(result, "heapAfterGc"))
        .as("report.json holds the samples' heap after GC")
        .containsExactly(afterGc);
    assertThat(values[values.length - 1] - values[0])
        .as("heap after GC rises by most of what leaked (480 x 64 KiB = 30 MiB)")
        .isGreaterThan(20.0 * (1 << 20));
    Element trend = Pages.line(heap, "trend");
    Element limit = Pages.line(heap, "threshold");
    assertThat(px(trend, "y1")).isCloseTo(px(limit, "y1"), within(0.01));
    assertThat(px(trend, "y2"))
        .as("the trend ends above the threshold line (smaller y is higher)")
        .isLessThan(px(limit, "y2") - 10);
    Map<String, Object> json = jsonLine(result, "heapAfterGc", "threshold");
    double minutes = ((long) num(json, "toMillis") - (long) num(json, "fromMillis")) / 60_000.0;
    double rise = num(json, "to") - num(json, "from");
    assertThat(rise / minutes)
        .as("the threshold line rises at the configured bytes per minute")
        .isCloseTo((double) threshold, within(threshold * 0.02));
    assertThat(px(limit, "y1"))
        .as("the drawn threshold starts where report.json says")
        .isCloseTo(
            SvgChart.TOP
                + (SvgChart.HEIGHT - SvgChart.TOP - SvgChart.BOTTOM)
                - (num(json, "from") - px(heap, "data-y-min")) * pixelsPerUnit(heap, "y"),
            within(0.006));
    String md = Files.readString(result.folder().resolve("report.md"));
    assertThat(md)
        .contains("`report-leak`: FAILED", "seed: `" + result.seed() + "`")
        .contains("| heap | INVALID |", "| conservation | VALID |")
        .contains("| sent | delivered |", "| 480 | 480 |")
        .contains("## Replay this failure", result.replayCommand());
    assertSelfContained(result);
  }

  @Test
  void failingRun_markdownHoldsSeedVerdictsLedgerAndReplay(@TempDir Path artifacts)
      throws Exception {
    AtomicLong swallowed = new AtomicLong();
    StressResult result =
        StressTest.named("report-fail")
            .graph(Pipelines.through(() -> Pipelines.swallowing(swallowed), ledger, order))
            .scheduler(b -> b.deadLetters(ledger.deadLetters()))
            .actor("feeder", Pipelines.feeder(ids, ledger))
            .operations(500)
            .ledger(ledger)
            .check("fifo", order.fifo())
            .artifacts(artifacts)
            .console(line -> {})
            .run();

    assertThat(result.passed()).isFalse();
    ConservationLedger.Totals totals = ledger.totals(result.run());
    String md = Files.readString(result.folder().resolve("report.md"));
    assertThat(md)
        .contains("# Stress run `report-fail`: FAILED", "seed: `" + result.seed() + "`")
        .contains("| conservation | INVALID |", "| fifo | VALID |")
        .contains("| " + totals.sent() + " | " + totals.delivered() + " |")
        .contains("| " + totals.lost() + " | " + totals.duplicated() + " |")
        .contains("## Replay this failure\n\n```\n" + result.replayCommand() + "\n```");
    assertThat(totals.lost()).isEqualTo(swallowed.get()).isPositive();
    Document html = html(result);
    assertThat(Pages.byId(html, "verdict").getTextContent()).isEqualTo("FAILED");
    assertThat(Pages.byId(html, "replay").getTextContent()).isEqualTo(result.replayCommand());
    assertThat(Pages.byId(html, "ledger").getTextContent()).contains(Long.toString(totals.lost()));
  }

  /** No script, no stylesheet or image from elsewhere, no link that leaves the page. */
  private static void assertSelfContained(StressResult result) throws Exception {
    String page = Files.readString(result.folder().resolve("report.html"));
    Document html = html(result);
    assertThat(html.getElementsByTagName("script").getLength()).isZero();
    assertThat(html.getElementsByTagName("link").getLength()).isZero();
    assertThat(html.getElementsByTagName("img").getLength()).isZero();
    NodeList all = html.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      assertThat(e.getAttribute("src")).as(e.getTagName() + " src").isEmpty();
      assertThat(e.getAttribute("href")).as(e.getTagName() + " href").doesNotContain(":");
    }
    assertThat(page).doesNotContain("http:", "https:", "url(", "@import");
  }

  private static Document html(StressResult result) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(result.folder().resolve("report.html").toFile());
  }

  private static double px(Element e, String attribute) {
    return Double.parseDouble(e.getAttribute(attribute));
  }

  private static double span(Element svg, String axis) {
    return px(svg, "data-" + axis + "-max") - px(svg, "data-" + axis + "-min");
  }

  private static double pixelsPerUnit(Element svg, String axis) {
    int pixels =
        "x".equals(axis)
            ? SvgChart.WIDTH - SvgChart.LEFT - SvgChart.RIGHT
            : SvgChart.HEIGHT - SvgChart.TOP - SvgChart.BOTTOM;
    return pixels / span(svg, axis);
  }

  /** The polyline's points mapped back from pixels to values through the chart's domain. */
  private static double[] values(Element svg) {
    Element polyline = (Element) svg.getElementsByTagName("polyline").item(0);
    String[] points = polyline.getAttribute("points").split(" ", -1);
    double yMin = px(svg, "data-y-min");
    double[] values = new double[points.length];
    for (int i = 0; i < points.length; i++) {
      double y = Double.parseDouble(points[i].split(",", -1)[1]);
      values[i] =
          yMin
              + (SvgChart.TOP + (SvgChart.HEIGHT - SvgChart.TOP - SvgChart.BOTTOM) - y)
                  / pixelsPerUnit(svg, "y");
    }
    return values;
  }

  /** Equal up to the drawing's rounding: half a hundredth of a pixel. */
  private static void assertValues(double[] drawn, double[] expected, Element svg) {
    assertThat(drawn).hasSize(expected.length);
    double tolerance = 0.006 / pixelsPerUnit(svg, "y");
    for (int i = 0; i < drawn.length; i++) {
      assertThat(drawn[i])
          .as("point %d of %s", i, svg.getAttribute("id"))
          .isCloseTo(expected[i], within(tolerance));
    }
  }

  @SuppressWarnings("unchecked")
  private static double[] jsonValues(StressResult result, String id) {
    return ((List<Map<String, Object>>)
            Objects.requireNonNull(jsonSeries(result, id).get("points")))
        .stream().mapToDouble(p -> num(p, "value")).toArray();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> jsonLine(StressResult result, String id, String line) {
    return (Map<String, Object>) Objects.requireNonNull(jsonSeries(result, id).get(line), line);
  }

  private static double num(Map<String, Object> json, String key) {
    return ((Number) Objects.requireNonNull(json.get(key), key)).doubleValue();
  }

  /** One entry of report.json's series[], by id. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> jsonSeries(StressResult result, String id) {
    Map<String, Object> json = Artifacts.read(result.folder().resolve("report.json"));
    for (Object o : (List<Object>) Objects.requireNonNull(json.get("series"), "series")) {
      Map<String, Object> series = (Map<String, Object>) o;
      if (id.equals(series.get("id"))) {
        return series;
      }
    }
    throw new AssertionError("no series " + id + " in report.json");
  }

  @SuppressWarnings("DoNotCall")
  private static void collect() {
    System.gc();
  }
}
