package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.within;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.testkit.internal.Artifacts;
import dev.weir.testkit.internal.SvgChart;
import dev.weir.testkit.junit.WeirTest;
import dev.weir.testkit.load.ClosedLoad;
import dev.weir.testkit.load.LoadInterval;
import dev.weir.testkit.load.LoadOperation.Status;
import dev.weir.testkit.load.LoadProfile;
import dev.weir.testkit.load.LoadResult;
import dev.weir.testkit.load.OpenLoad;
import dev.weir.testkit.load.SaturationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@link SuiteReport} over real runs: a pipeline run and an open-load run, added from two threads,
 * written into one folder and read back (the JSON with Jackson, the HTML with the JDK's XML parser,
 * its polylines mapped back to values and compared with the load's intervals).
 */
class SuiteReportTest {

  record Timed(long seq, long intendedStartNanos) {}

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose, to see it rejected by name
  void pipelineAndOpenLoad_oneSuiteReport_holdsEveryScenarioAndTheLoadsLatencyOverTime(
      @TempDir Path out) throws Exception {
    SuiteReport suite = SuiteReport.in(out).name("suite-test").seed(7);
    StressResult pipeline = pipeline("pipeline", 7, out, Pipelines::forwarder);
    AtomicReference<LoadResult> loadResult = new AtomicReference<>();
    StressResult load = openLoad(out, loadResult);
    CountDownLatch both = new CountDownLatch(2);
    Thread other =
        new Thread(
            () -> {
              suite.add(pipeline);
              both.countDown();
            });
    other.start();
    suite.add(load, Objects.requireNonNull(loadResult.get()), Duration.ofSeconds(5));
    both.countDown();
    both.await();
    other.join();
    pipeline.assertPassed();
    load.assertPassed();
    LoadResult loaded = Objects.requireNonNull(loadResult.get());
    assertThatNullPointerException().isThrownBy(() -> suite.add(null)).withMessage("result");
    assertThatNullPointerException()
        .isThrownBy(() -> suite.add(load, (LoadResult) null))
        .withMessage("load");
    assertThatNullPointerException()
        .isThrownBy(() -> suite.add(load, loaded, null))
        .withMessage("p99Bound");
    assertThatNullPointerException()
        .isThrownBy(() -> suite.add(load, (ClosedLoad) null))
        .withMessage("load");
    assertThatNullPointerException()
        .isThrownBy(() -> suite.add(load, (SaturationResult) null))
        .withMessage("search");

    Path folder = suite.write();

    Map<String, Object> json = Artifacts.read(folder.resolve("report.json"));
    assertThat(json)
        .containsEntry("name", "suite-test")
        .containsEntry("seed", 7)
        .containsEntry("deterministic", false)
        .containsEntry("passed", true)
        .containsEntry("traceHash", null);
    Map<String, Object> ledger = map(json, "ledger");
    assertThat(num(ledger, "sent")).isEqualTo(sentOf(pipeline) + sentOf(load));
    assertThat(num(ledger, "lost")).isZero();
    List<Map<String, Object>> scenarios = list(json, "scenarios");
    assertThat(scenarios)
        .extracting(s -> s.get("name"))
        .containsExactlyInAnyOrder("pipeline", "open-load");
    Map<String, Object> loadScenario = byName(scenarios, "open-load");
    assertThat(loadScenario)
        .containsEntry("passed", true)
        .containsEntry("folder", "open-load-seed7");
    LoadResult result = loadResult.get();
    Map<String, Object> latency = map(loadScenario, "latency");
    assertThat(dbl(latency, "p99Millis")).isEqualTo(result.latencyAt(99).toNanos() / 1e6);
    assertThat(num(map(loadScenario, "load"), "lateStarts")).isEqualTo(result.late());
    assertThat(dbl(loadScenario, "throughputPerSecond"))
        .isCloseTo(result.throughputPerSecond(), within(0.06));
    assertThat(map(byName(scenarios, "pipeline"), "verdicts").keySet())
        .containsExactly("conservation", "fifo", "watchdog");
    assertThat(folder.resolve("open-load-seed7").resolve("report.json")).exists();

    List<LoadInterval> recorded =
        result.intervals().stream().filter(i -> i.completed() > 0).toList();
    double[] p99 = recorded.stream().mapToDouble(i -> i.p99Nanos() / 1e6).toArray();
    double[] p50 = recorded.stream().mapToDouble(i -> i.p50Nanos() / 1e6).toArray();
    assertThat(p99).isNotEmpty();
    // The suite's page and the run's own page (rewritten with the load) draw the same intervals.
    for (Path page :
        List.of(folder.resolve("report.html"), folder.resolve("open-load-seed7/report.html"))) {
      Document html = Pages.parse(page);
      String id = page.startsWith(folder.resolve("open-load-seed7")) ? "" : "open-load-";
      Element chart = Pages.byId(html, "chart-" + id + "latency");
      assertValues(values(chart, "series"), p99, chart);
      assertValues(values(chart, "series-more"), p50, chart);
      Element bound = Pages.line(chart, "threshold");
      assertThat(bound.getAttribute("y1")).isEqualTo(bound.getAttribute("y2"));
      assertThat(y(chart, Double.parseDouble(bound.getAttribute("y1"))))
          .isCloseTo(5_000, within(0.01 / pixelsPerUnit(chart)));
      Element throughput = Pages.byId(html, "chart-" + id + "throughput");
      assertValues(
          values(throughput, "series"),
          result.intervals().stream()
              .mapToDouble(i -> Math.round(i.throughputPerSecond() * 10) / 10.0)
              .toArray(),
          throughput);
      assertThat(html.getElementsByTagName("script").getLength()).isZero();
      assertThat(Files.readString(page)).doesNotContain("http:", "https:", "url(");
    }
    Document suitePage = Pages.parse(folder.resolve("report.html"));
    assertThat(Pages.byId(suitePage, "chart-pipeline-latency").getTextContent())
        .contains("not recorded in this run");
    assertThat(Pages.byId(suitePage, "chart-pipeline-heapAfterGc")).isNotNull();
    assertThat(Pages.byId(suitePage, "verdict").getTextContent()).isEqualTo("PASSED");
    String md = Files.readString(folder.resolve("report.md"));
    assertThat(md)
        .startsWith("# Stress suite `suite-test`: PASSED")
        .contains("| open-load | PASSED |", "| pipeline | PASSED |", "late starts");
  }

  @Test
  @WeirTest
  void deterministicRuns_combinedTraceHashRepeats_andAFailedRunFailsTheSuite(
      long seed, @TempDir Path out) throws Exception {
    SuiteReport first = SuiteReport.in(out.resolve("first"));
    SuiteReport second = SuiteReport.in(out.resolve("second"));
    for (SuiteReport suite : List.of(first, second)) {
      suite.add(deterministic("a", seed, suite.folder()));
      suite.add(deterministic("b", seed + 1, suite.folder()));
    }
    assertThat(first.traceHash()).isPresent();
    assertThat(second.traceHash()).isEqualTo(first.traceHash());
    assertThat(Artifacts.read(first.write().resolve("report.json")))
        .containsEntry("deterministic", true)
        .containsEntry("traceHash", first.traceHash().getAsLong())
        .containsEntry("seed", null);

    AtomicLong swallowed = new AtomicLong();
    StressResult broken =
        pipeline("broken", seed, first.folder(), () -> Pipelines.swallowing(swallowed));
    first.add(broken);
    Path folder = first.write();
    assertThat(first.passed()).isFalse();
    assertThat(first.traceHash()).as("one run was not deterministic").isEmpty();
    Map<String, Object> json = Artifacts.read(folder.resolve("report.json"));
    assertThat(json).containsEntry("passed", false);
    assertThat(Files.readString(folder.resolve("report.md")))
        .contains("## What failed", "### broken", "conservation: INVALID", broken.replayCommand());
    assertThat(
            Pages.parse(folder.resolve("report.html"))
                .getElementsByTagName("pre")
                .item(0)
                .getTextContent())
        .contains("conservation: INVALID");
  }

  private static StressResult pipeline(
      String name, long seed, Path out, java.util.function.Supplier<dev.weir.core.Node> middle) {
    ConservationLedger<Item> ledger = ConservationLedger.of(Item.class, Item::id);
    DeliveryOrder order = DeliveryOrder.create();
    return StressTest.named(name)
        .graph(Pipelines.through(middle, ledger, order))
        .scheduler(b -> b.deadLetters(ledger.deadLetters()))
        .actor("feeder", Pipelines.feeder(new AtomicLong(), ledger))
        .operations(1_000)
        .seed(seed)
        .ledger(ledger)
        .check("fifo", order.fifo())
        .artifacts(out)
        .console(line -> {})
        .run();
  }

  private static StressResult deterministic(String name, long seed, Path out) {
    ConservationLedger<Item> ledger = ConservationLedger.of(Item.class, Item::id);
    DeliveryOrder order = DeliveryOrder.create();
    return StressTest.named(name)
        .graph(Pipelines.through(Pipelines::forwarder, ledger, order))
        .scheduler(b -> b.deadLetters(ledger.deadLetters()))
        .actors("feeder", 2, Pipelines.feeder(new AtomicLong(), ledger))
        .deterministic(Duration.ofMillis(1))
        .operations(300)
        .seed(seed)
        .ledger(ledger)
        .artifacts(out)
        .console(line -> {})
        .run();
  }

  /** One actor operation runs a whole open load through the graph: 600 operations in 0.3 s. */
  private static StressResult openLoad(Path out, AtomicReference<LoadResult> result) {
    ConservationLedger<Timed> ledger = ConservationLedger.of(Timed.class, Timed::seq);
    OpenLoad load =
        OpenLoad.of(LoadProfile.constant(2_000, Duration.ofMillis(300)))
            .interval(Duration.ofMillis(50));
    return StressTest.named("open-load")
        .graph(
            () ->
                Graph.builder("open-load")
                    .add("stamp", Nodes.map(Timed.class, Timed.class, t -> t))
                    .add(
                        "sink",
                        Nodes.sink(
                            Timed.class,
                            t -> {
                              ledger.delivered(t);
                              load.complete(t.intendedStartNanos());
                            }))
                    .connect("stamp.out", "sink.in", EdgeSpec.blocking(64))
                    .ingress("in", "stamp.in", EdgeSpec.blocking(256))
                    .build())
        .scheduler(b -> b.deadLetters(ledger.deadLetters()))
        .actor(
            "load",
            (env, random) -> {
              result.set(
                  load.run(
                      (seq, intended) -> {
                        Timed t = new Timed(seq, intended);
                        return ledger.offered(t, env.ingress("in", Timed.class).offer(t))
                            ? Status.PENDING
                            : Status.FAILED;
                      }));
              return Outcome.COUNTED;
            })
        .operations(1)
        .seed(7)
        .ledger(ledger)
        .artifacts(out)
        .console(line -> {})
        .run();
  }

  private static long sentOf(StressResult result) {
    return num(map(result.report(), "ledger"), "sent");
  }

  private static Map<String, Object> byName(List<Map<String, Object>> scenarios, String name) {
    return scenarios.stream().filter(s -> name.equals(s.get("name"))).findFirst().orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> json, String key) {
    return (Map<String, Object>) Objects.requireNonNull(json.get(key), key);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> json, String key) {
    return (List<Map<String, Object>>) Objects.requireNonNull(json.get(key), key);
  }

  private static long num(Map<String, Object> json, String key) {
    return ((Number) Objects.requireNonNull(json.get(key), key)).longValue();
  }

  private static double dbl(Map<String, Object> json, String key) {
    return ((Number) Objects.requireNonNull(json.get(key), key)).doubleValue();
  }

  private static double attr(Element e, String name) {
    return Double.parseDouble(e.getAttribute(name));
  }

  private static double pixelsPerUnit(Element svg) {
    return (SvgChart.HEIGHT - SvgChart.TOP - SvgChart.BOTTOM)
        / (attr(svg, "data-y-max") - attr(svg, "data-y-min"));
  }

  /** A y pixel mapped back to a value through the chart's domain. */
  private static double y(Element svg, double pixel) {
    return attr(svg, "data-y-min")
        + (SvgChart.TOP + (SvgChart.HEIGHT - SvgChart.TOP - SvgChart.BOTTOM) - pixel)
            / pixelsPerUnit(svg);
  }

  /** The first polyline of the class, its points mapped back to values. */
  static double[] values(Element svg, String cssClass) {
    NodeList polylines = svg.getElementsByTagName("polyline");
    for (int i = 0; i < polylines.getLength(); i++) {
      Element p = (Element) polylines.item(i);
      if (cssClass.equals(p.getAttribute("class"))) {
        String[] points = p.getAttribute("points").split(" ", -1);
        double[] values = new double[points.length];
        for (int k = 0; k < points.length; k++) {
          values[k] = y(svg, Double.parseDouble(points[k].split(",", -1)[1]));
        }
        return values;
      }
    }
    throw new AssertionError("no " + cssClass + " polyline in " + svg.getAttribute("id"));
  }

  /** Equal up to the drawing's rounding: half a hundredth of a pixel. */
  static void assertValues(double[] drawn, double[] expected, Element svg) {
    assertThat(drawn).as(svg.getAttribute("id")).hasSize(expected.length);
    double tolerance = 0.006 / pixelsPerUnit(svg);
    for (int i = 0; i < drawn.length; i++) {
      assertThat(drawn[i])
          .as("point %d of %s", i, svg.getAttribute("id"))
          .isCloseTo(expected[i], within(tolerance));
    }
  }
}
