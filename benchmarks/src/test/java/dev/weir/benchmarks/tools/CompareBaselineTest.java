package dev.weir.benchmarks.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regression gate's decisions on small synthetic JMH results: Weir rows normalized by the
 * reference of their class, failing only when more than 10% worse with intervals apart.
 */
class CompareBaselineTest {

  /** A baseline: Weir at 8 and the ABQ reference at 10 M/s, tight intervals, 80 B/op. */
  private static JmhJson baseline() {
    return new JmhJson()
        .row("weirOneWorker", 8.0, 0.2, 80.0)
        .row("weirTwoWorkers", 4.0, 0.2, 90.0)
        .row("abqTwoThreads", 10.0, 0.2, 16.0)
        .row("reactorFused", 50.0, 1.0, 40.0);
  }

  private static CompareBaseline.Report compare(JmhJson base, JmhJson current) {
    return CompareBaseline.compare(base.rows(), current.rows(), CompareBaseline.DEFAULT_THRESHOLD);
  }

  @Test
  void compare_unchangedResult_passes() {
    CompareBaseline.Report report = compare(baseline(), baseline());

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
    assertThat(report.verdicts()).hasSize(4); // two Weir rows x (ratio, allocation)
  }

  @Test
  void compare_plantedTwentyFivePercentSlowdown_fails() {
    JmhJson slow =
        new JmhJson()
            .row("weirOneWorker", 8.0 / 1.25, 0.2 / 1.25, 80.0)
            .row("weirTwoWorkers", 4.0, 0.2, 90.0)
            .row("abqTwoThreads", 10.0, 0.2, 16.0)
            .row("reactorFused", 50.0, 1.0, 40.0);

    CompareBaseline.Report report = compare(baseline(), slow);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.REGRESSION);
    assertThat(report.verdicts())
        .filteredOn(CompareBaseline.Verdict::regression)
        .extracting(CompareBaseline.Verdict::key)
        .containsExactly("Pipeline4Benchmark.weirOneWorker thrpt");
    assertThat(report.render()).contains("FAIL: 1 regression(s)");
  }

  @Test
  void compare_slowerMachineScalingEveryRow_passes() {
    JmhJson halfSpeed =
        new JmhJson()
            .row("weirOneWorker", 4.0, 0.1, 80.0)
            .row("weirTwoWorkers", 2.0, 0.1, 90.0)
            .row("abqTwoThreads", 5.0, 0.1, 16.0)
            .row("reactorFused", 25.0, 0.5, 40.0);

    CompareBaseline.Report report = compare(baseline(), halfSpeed);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
  }

  @Test
  void compare_slowdownWithinNoisyOverlappingIntervals_passesAsNoise() {
    JmhJson noisy =
        new JmhJson()
            .row("weirOneWorker", 6.4, 3.0, 80.0)
            .row("weirTwoWorkers", 4.0, 0.2, 90.0)
            .row("abqTwoThreads", 10.0, 0.2, 16.0);

    CompareBaseline.Report report = compare(baseline(), noisy);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
    assertThat(report.render()).contains("noise");
  }

  @Test
  void compare_slowdownBelowThresholdWithTightIntervals_passes() {
    JmhJson slightlySlower =
        new JmhJson()
            .row("weirOneWorker", 7.4, 0.01, 80.0)
            .row("weirTwoWorkers", 4.0, 0.01, 90.0)
            .row("abqTwoThreads", 10.0, 0.01, 16.0);

    CompareBaseline.Report report = compare(baseline(), slightlySlower);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
  }

  @Test
  void compare_onlyTheReferenceGotFaster_failsTheWeirRows() {
    JmhJson fasterReference =
        new JmhJson()
            .row("weirOneWorker", 8.0, 0.2, 80.0)
            .row("weirTwoWorkers", 4.0, 0.2, 90.0)
            .row("abqTwoThreads", 14.0, 0.2, 16.0);

    CompareBaseline.Report report = compare(baseline(), fasterReference);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.REGRESSION);
  }

  @Test
  void compare_peerRowSlower_isNotGated() {
    JmhJson slowPeer =
        new JmhJson()
            .row("weirOneWorker", 8.0, 0.2, 80.0)
            .row("weirTwoWorkers", 4.0, 0.2, 90.0)
            .row("abqTwoThreads", 10.0, 0.2, 16.0)
            .row("reactorFused", 5.0, 0.1, 400.0);

    CompareBaseline.Report report = compare(baseline(), slowPeer);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
  }

  @Test
  void compare_allocationGrowsByAnObjectPerMessage_fails() {
    JmhJson allocating =
        new JmhJson()
            .row("weirOneWorker", 8.0, 0.2, 104.0)
            .row("weirTwoWorkers", 4.0, 0.2, 90.0)
            .row("abqTwoThreads", 10.0, 0.2, 16.0);

    CompareBaseline.Report report = compare(baseline(), allocating);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.REGRESSION);
    assertThat(report.verdicts())
        .filteredOn(CompareBaseline.Verdict::regression)
        .extracting(CompareBaseline.Verdict::metric)
        .containsExactly("B/op");
  }

  @Test
  void compare_allocationNearZeroDoubling_isWithinTheSlack() {
    JmhJson base =
        new JmhJson()
            .row("EdgeSameThreadBenchmark", "weirBlock", "thrpt", 100.0, 1.0, 0.001)
            .row("EdgeSameThreadBenchmark", "jctoolsSpsc", "thrpt", 200.0, 1.0, 0.001);
    JmhJson current =
        new JmhJson()
            .row("EdgeSameThreadBenchmark", "weirBlock", "thrpt", 100.0, 1.0, 0.002)
            .row("EdgeSameThreadBenchmark", "jctoolsSpsc", "thrpt", 200.0, 1.0, 0.001);

    CompareBaseline.Report report = compare(base, current);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
  }

  @Test
  void compare_timePerOperationModeGrowing_fails() {
    JmhJson base =
        new JmhJson()
            .row("EdgeSameThreadBenchmark", "weirBlock", "avgt", 10.0, 0.1, null)
            .row("EdgeSameThreadBenchmark", "jctoolsSpsc", "avgt", 5.0, 0.1, null);
    JmhJson slower =
        new JmhJson()
            .row("EdgeSameThreadBenchmark", "weirBlock", "avgt", 12.5, 0.1, null)
            .row("EdgeSameThreadBenchmark", "jctoolsSpsc", "avgt", 5.0, 0.1, null);
    JmhJson faster =
        new JmhJson()
            .row("EdgeSameThreadBenchmark", "weirBlock", "avgt", 7.0, 0.1, null)
            .row("EdgeSameThreadBenchmark", "jctoolsSpsc", "avgt", 5.0, 0.1, null);

    assertThat(compare(base, slower).status()).isEqualTo(CompareBaseline.REGRESSION);
    assertThat(compare(base, faster).status()).isEqualTo(CompareBaseline.PASS);
  }

  @Test
  void compare_referenceMissingFromTheRun_isBadInput() {
    JmhJson noReference = new JmhJson().row("weirOneWorker", 8.0, 0.2, 80.0);

    CompareBaseline.Report report = compare(baseline(), noReference);

    assertThat(report.status()).isEqualTo(CompareBaseline.BAD_INPUT);
    assertThat(report.render()).contains("run the reference too");
  }

  @Test
  void compare_singleIterationRowsWithoutIntervals_compareAsPoints() {
    JmhJson base =
        new JmhJson().singleIteration("weirOneWorker", 8).singleIteration("abqTwoThreads", 10);
    JmhJson slow =
        new JmhJson().singleIteration("weirOneWorker", 6).singleIteration("abqTwoThreads", 10);

    assertThat(compare(base, base).status()).isEqualTo(CompareBaseline.PASS);
    assertThat(compare(base, slow).status()).isEqualTo(CompareBaseline.REGRESSION);
  }

  @Test
  void run_updateThenCompareUnchanged_passesAndPlantFails(@TempDir Path dir) throws Exception {
    Path result = dir.resolve("result.json");
    Path baseline = dir.resolve("baseline.json");
    Files.writeString(result, baseline().build());

    assertThat(run("update", result.toString(), baseline.toString()))
        .isEqualTo(CompareBaseline.PASS);
    assertThat(Files.readString(baseline)).doesNotContain("rawData").doesNotContain("gc.count");
    assertThat(run("compare", baseline.toString(), result.toString()))
        .isEqualTo(CompareBaseline.PASS);
    assertThat(run("compare", baseline.toString(), result.toString(), "--plant", "weir.*=0.8"))
        .isEqualTo(CompareBaseline.REGRESSION);
  }

  @Test
  void run_updateFromAResultWithoutReferences_refuses(@TempDir Path dir) throws Exception {
    Path result = dir.resolve("result.json");
    Path baseline = dir.resolve("baseline.json");
    Files.writeString(result, new JmhJson().row("weirOneWorker", 8.0, 0.2, 80.0).build());

    assertThat(run("update", result.toString(), baseline.toString()))
        .isEqualTo(CompareBaseline.BAD_INPUT);
    assertThat(baseline).doesNotExist();
  }

  @Test
  void run_unknownCommand_printsUsage() {
    assertThat(run("frobnicate")).isEqualTo(CompareBaseline.BAD_INPUT);
  }

  @Test
  void table_result_showsRatiosToTheReference() {
    String table = CompareBaseline.table(baseline().rows());

    assertThat(table).contains("| Pipeline4Benchmark.weirOneWorker | 8.000 |").contains("0.80×");
  }

  @Test
  void json_writeThenParse_roundTrips() {
    Object model = Json.parse("{\"a\" : [1, 2.5, \"x\\\"y\\n\", true, null, \"NaN\"], \"b\" : {}}");

    assertThat(Json.parse(Json.write(model))).isEqualTo(model);
    assertThat(((List<?>) Json.parse("[NaN, -Infinity]")).get(0)).isEqualTo(Double.NaN);
  }

  private static int run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    return CompareBaseline.run(args, out);
  }
}
