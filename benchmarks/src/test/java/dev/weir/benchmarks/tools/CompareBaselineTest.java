package dev.weir.benchmarks.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regression gate's decisions on small synthetic JMH results: Weir rows normalized by the
 * references of their class in the same round, failing only when more than 10% worse with the
 * intervals over the rounds apart.
 */
class CompareBaselineTest {

  /** The machine's relative speed in each of five rounds: it drifts by ±30% between rounds. */
  private static final double[] MACHINE_SPEED = {1.0, 0.7, 1.3, 0.9, 1.1};

  /** What is left of a row's ratio to its reference from round to round: ±2%. */
  private static final double[] RATIO_WOBBLE = {1.00, 1.02, 0.98, 1.01, 0.99};

  /**
   * Five rounds of fan_in4: Weir at 8 M/s times {@code weirFactor} over the ABQ reference at 10,
   * both at the round's machine speed, the machine's drift pattern rotated by {@code shift}.
   */
  private static JmhJson fiveRounds(double weirFactor, int shift) {
    JmhJson json = new JmhJson();
    for (int k = 0; k < 5; k++) {
      double speed = MACHINE_SPEED[(k + shift) % 5];
      json.inRound(k + 1)
          .row("weirSharedIngress", 8.0 * speed * RATIO_WOBBLE[k] * weirFactor, 0.5, 80.0 + k % 2)
          .row("arrayBlockingQueue", 10.0 * speed, 0.5, 16.0);
    }
    return json;
  }

  /** A baseline of three rounds: Weir at 8 ± 0.2 and the ABQ reference at 10 ± 0.2 M/s, 80 B/op. */
  private static JmhJson baseline() {
    return JmhJson.threeRounds()
        .row("weirSharedIngress", 8.0, 0.2, 80.0)
        .row("weirIngressPerProducer", 4.0, 0.2, 90.0)
        .row("arrayBlockingQueue", 10.0, 0.2, 16.0)
        .row("jctoolsMpsc", 50.0, 1.0, 40.0);
  }

  private static CompareBaseline.Report compare(JmhJson base, JmhJson current) {
    return CompareBaseline.compare(
        base.rows(),
        current.rows(),
        CompareBaseline.DEFAULT_THRESHOLD,
        CompareBaseline.DEFAULT_CONFIDENCE);
  }

  @Test
  void compare_roundsUnchangedUnderADifferentDrift_passes() {
    CompareBaseline.Report report = compare(fiveRounds(1.0, 0), fiveRounds(1.0, 2));

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
    assertThat(report.verdicts()).hasSize(2).allMatch(v -> v.rounds() == 5);
  }

  @Test
  void compare_roundsWithAPlantedTwentyFivePercentSlowdown_fails() {
    CompareBaseline.Report report = compare(fiveRounds(1.0, 0), fiveRounds(0.8, 3));

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.REGRESSION);
    assertThat(report.verdicts())
        .filteredOn(CompareBaseline.Verdict::regression)
        .extracting(CompareBaseline.Verdict::metric)
        .containsExactly("score/ref");
  }

  @Test
  void summary_rounds_divideEachRowByTheReferenceOfItsOwnRound() {
    // The raw scores swing by ±30% with the machine; the per-round ratios by ±2%. Dividing by the
    // reference of the same round keeps the interval near ±2%, not ±30%.
    Summary.Entry entry =
        Summary.of(fiveRounds(1.0, 0).rows(), CompareBaseline.DEFAULT_CONFIDENCE)
            .entries()
            .get("FanIn4Benchmark.weirSharedIngress thrpt");

    assertThat(entry.ratio().score()).isCloseTo(0.8, within(0.002));
    assertThat(entry.ratio().high() / entry.ratio().low()).isBetween(1.01, 1.10);
    assertThat(entry.alloc().score()).isCloseTo(80.4, within(1e-9));
  }

  @Test
  void compare_slowdownInsideTheSpreadOfTheRounds_passesAsNoise() {
    JmhJson noisy = new JmhJson();
    double[] wobble = {0.6, 1.0, 0.7, 1.05, 0.75};
    for (int k = 0; k < 5; k++) {
      noisy.inRound(k + 1).row("weirSharedIngress", 8.0 * wobble[k], 0.1, 80.0);
      noisy.row("arrayBlockingQueue", 10.0, 0.1, 16.0);
    }

    CompareBaseline.Report report = compare(fiveRounds(1.0, 0), noisy);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
    assertThat(report.render()).contains("noise");
  }

  @Test
  void summary_classWithTwoReferences_dividesByTheirGeometricMean() {
    JmhJson pipeline = new JmhJson();
    for (int k = 1; k <= 3; k++) {
      pipeline
          .inRound(k)
          .row("Pipeline4Benchmark", "weirOneWorker", "thrpt", 20.0, 0.1, 128.0)
          .row("Pipeline4Benchmark", "abqTwoThreads", "thrpt", 10.0, 0.1, 16.0)
          .row("Pipeline4Benchmark", "reactorFused", "thrpt", 40.0, 0.1, 48.0);
    }

    Summary summary = Summary.of(pipeline.rows(), CompareBaseline.DEFAULT_CONFIDENCE);

    assertThat(summary.problems()).isEmpty();
    // sqrt(10 * 40) = 20
    assertThat(summary.entries().get("Pipeline4Benchmark.weirOneWorker thrpt").ratio().score())
        .isCloseTo(1.0, within(1e-12));
  }

  @Test
  void compare_roundWithoutItsReference_isBadInput() {
    JmhJson missing = fiveRounds(1.0, 0).inRound(6).row("weirSharedIngress", 8.0, 0.5, 80.0);

    CompareBaseline.Report report = compare(fiveRounds(1.0, 0), missing);

    assertThat(report.status()).isEqualTo(CompareBaseline.BAD_INPUT);
    assertThat(report.render())
        .contains("is not in round 6")
        .contains("run the references with the row");
  }

  @Test
  void compare_rowTwiceInOneRound_isBadInput() {
    JmhJson twice = fiveRounds(1.0, 0).inRound(5).row("weirSharedIngress", 8.0, 0.5, 80.0);

    CompareBaseline.Report report = compare(fiveRounds(1.0, 0), twice);

    assertThat(report.status()).isEqualTo(CompareBaseline.BAD_INPUT);
    assertThat(report.render()).contains("appears twice in round 5");
  }

  @Test
  void score_ofLogSample_isTheGeometricMeanWithStudentsInterval() {
    double[] ratios = {Math.exp(-0.1), 1.0, Math.exp(0.1)};

    Score score = Score.ofLogSample(ratios, 0.95, "ratio");

    // mean log 0, standard deviation 0.1, standard error 0.1 / sqrt(3); t(2 df, 97.5%) = 4.3027
    double half = 4.302653 * 0.1 / Math.sqrt(3);
    assertThat(score.score()).isCloseTo(1.0, within(1e-12));
    assertThat(score.low()).isCloseTo(Math.exp(-half), within(1e-6));
    assertThat(score.high()).isCloseTo(Math.exp(half), within(1e-6));
  }

  @Test
  void run_mergeRoundsThenUpdateAndCompare_passesUnchangedAndFailsPlanted(@TempDir Path dir)
      throws Exception {
    List<String> roundFiles = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      double speed = MACHINE_SPEED[k];
      Path file = dir.resolve("round-" + (k + 1) + ".json");
      Files.writeString(
          file,
          new JmhJson()
              .row("weirSharedIngress", 8.0 * speed * RATIO_WOBBLE[k], 0.5, 80.0)
              .row("arrayBlockingQueue", 10.0 * speed, 0.5, 16.0)
              .build());
      roundFiles.add(file.toString());
    }
    Path merged = dir.resolve("merged.json");
    Path baseline = dir.resolve("baseline.json");
    List<String> merge = new ArrayList<>(List.of("merge", merged.toString()));
    merge.addAll(roundFiles);

    assertThat(run(merge.toArray(String[]::new))).isEqualTo(CompareBaseline.PASS);
    assertThat(CompareBaseline.read(merged)).extracting(JmhRow::round).contains(1, 5);
    assertThat(run("update", merged.toString(), baseline.toString()))
        .isEqualTo(CompareBaseline.PASS);
    assertThat(Files.readString(baseline)).contains(JmhRow.ROUND_FIELD).doesNotContain("rawData");
    assertThat(run("compare", baseline.toString(), merged.toString()))
        .isEqualTo(CompareBaseline.PASS);
    assertThat(run("compare", baseline.toString(), merged.toString(), "--plant", "weir.*=0.8"))
        .isEqualTo(CompareBaseline.REGRESSION);
    // Merging a merged result again would mislabel its rounds.
    assertThat(run("merge", dir.resolve("again.json").toString(), merged.toString()))
        .isEqualTo(CompareBaseline.BAD_INPUT);
  }

  @Test
  void run_updateFromOneRound_refusesBecauseABaselineMustKnowItsNoise(@TempDir Path dir)
      throws Exception {
    Path result = dir.resolve("result.json");
    Path baseline = dir.resolve("baseline.json");
    Files.writeString(
        result,
        new JmhJson()
            .row("weirSharedIngress", 8.0, 0.2, 80.0)
            .row("arrayBlockingQueue", 10.0, 0.2, 16.0)
            .build());

    assertThat(run("update", result.toString(), baseline.toString()))
        .isEqualTo(CompareBaseline.BAD_INPUT);
    assertThat(baseline).doesNotExist();
  }

  @Test
  void run_includes_selectEveryGatedRowAndItsReferencesOnly() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CompareBaseline.run(
        new String[] {"includes"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    List<Pattern> includes =
        bytes.toString(StandardCharsets.UTF_8).lines().map(Pattern::compile).toList();

    assertThat(includes).hasSize(References.BY_CLASS.size());
    Predicate<String> selected = name -> includes.stream().anyMatch(p -> p.matcher(name).find());
    String pkg = "dev.weir.benchmarks.";
    assertThat(selected)
        .accepts(
            pkg + "EdgeSameThreadBenchmark.weirBlock",
            pkg + "Pipeline4Benchmark.abqTwoThreads",
            pkg + "MetricsOverheadBenchmark.weirMetricsOff")
        .rejects(
            pkg + "Pipeline4Benchmark.reactorPublishOn",
            pkg + "FanIn4Benchmark.pekkoMerge",
            pkg + "EdgeSameThreadBenchmark.jctoolsSpsc");
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
        JmhJson.threeRounds()
            .row("weirSharedIngress", 8.0 / 1.25, 0.2 / 1.25, 80.0)
            .row("weirIngressPerProducer", 4.0, 0.2, 90.0)
            .row("arrayBlockingQueue", 10.0, 0.2, 16.0)
            .row("jctoolsMpsc", 50.0, 1.0, 40.0);

    CompareBaseline.Report report = compare(baseline(), slow);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.REGRESSION);
    assertThat(report.verdicts())
        .filteredOn(CompareBaseline.Verdict::regression)
        .extracting(CompareBaseline.Verdict::key)
        .containsExactly("FanIn4Benchmark.weirSharedIngress thrpt");
    assertThat(report.render()).contains("FAIL: 1 regression(s)");
  }

  @Test
  void compare_slowerMachineScalingEveryRow_passes() {
    JmhJson halfSpeed =
        JmhJson.threeRounds()
            .row("weirSharedIngress", 4.0, 0.1, 80.0)
            .row("weirIngressPerProducer", 2.0, 0.1, 90.0)
            .row("arrayBlockingQueue", 5.0, 0.1, 16.0)
            .row("jctoolsMpsc", 25.0, 0.5, 40.0);

    CompareBaseline.Report report = compare(baseline(), halfSpeed);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
  }

  @Test
  void compare_slowdownWithinNoisyOverlappingIntervals_passesAsNoise() {
    JmhJson noisy =
        JmhJson.threeRounds()
            .row("weirSharedIngress", 6.4, 3.0, 80.0)
            .row("weirIngressPerProducer", 4.0, 0.2, 90.0)
            .row("arrayBlockingQueue", 10.0, 0.2, 16.0);

    CompareBaseline.Report report = compare(baseline(), noisy);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
    assertThat(report.render()).contains("noise");
  }

  @Test
  void compare_slowdownBelowThresholdWithTightIntervals_passes() {
    JmhJson slightlySlower =
        JmhJson.threeRounds()
            .row("weirSharedIngress", 7.4, 0.01, 80.0)
            .row("weirIngressPerProducer", 4.0, 0.01, 90.0)
            .row("arrayBlockingQueue", 10.0, 0.01, 16.0);

    CompareBaseline.Report report = compare(baseline(), slightlySlower);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
  }

  @Test
  void compare_onlyTheReferenceGotFaster_failsTheWeirRows() {
    JmhJson fasterReference =
        JmhJson.threeRounds()
            .row("weirSharedIngress", 8.0, 0.2, 80.0)
            .row("weirIngressPerProducer", 4.0, 0.2, 90.0)
            .row("arrayBlockingQueue", 14.0, 0.2, 16.0);

    CompareBaseline.Report report = compare(baseline(), fasterReference);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.REGRESSION);
  }

  @Test
  void compare_peerRowSlower_isNotGated() {
    JmhJson slowPeer =
        JmhJson.threeRounds()
            .row("weirSharedIngress", 8.0, 0.2, 80.0)
            .row("weirIngressPerProducer", 4.0, 0.2, 90.0)
            .row("arrayBlockingQueue", 10.0, 0.2, 16.0)
            .row("jctoolsMpsc", 5.0, 0.1, 400.0);

    CompareBaseline.Report report = compare(baseline(), slowPeer);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
  }

  @Test
  void compare_allocationGrowsByAnObjectPerMessage_fails() {
    JmhJson allocating =
        JmhJson.threeRounds()
            .row("weirSharedIngress", 8.0, 0.2, 104.0)
            .row("weirIngressPerProducer", 4.0, 0.2, 90.0)
            .row("arrayBlockingQueue", 10.0, 0.2, 16.0);

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
        JmhJson.threeRounds()
            .row("EdgeTwoThreadsBenchmark", "weirBlock", "thrpt", 100.0, 1.0, 0.001)
            .row("EdgeTwoThreadsBenchmark", "jctoolsSpsc", "thrpt", 200.0, 1.0, 0.001);
    JmhJson current =
        JmhJson.threeRounds()
            .row("EdgeTwoThreadsBenchmark", "weirBlock", "thrpt", 100.0, 1.0, 0.002)
            .row("EdgeTwoThreadsBenchmark", "jctoolsSpsc", "thrpt", 200.0, 1.0, 0.001);

    CompareBaseline.Report report = compare(base, current);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
  }

  @Test
  void compare_timePerOperationModeGrowing_fails() {
    JmhJson base =
        JmhJson.threeRounds()
            .row("EdgeTwoThreadsBenchmark", "weirBlock", "avgt", 10.0, 0.1, null)
            .row("EdgeTwoThreadsBenchmark", "jctoolsSpsc", "avgt", 5.0, 0.1, null);
    JmhJson slower =
        JmhJson.threeRounds()
            .row("EdgeTwoThreadsBenchmark", "weirBlock", "avgt", 12.5, 0.1, null)
            .row("EdgeTwoThreadsBenchmark", "jctoolsSpsc", "avgt", 5.0, 0.1, null);
    JmhJson faster =
        JmhJson.threeRounds()
            .row("EdgeTwoThreadsBenchmark", "weirBlock", "avgt", 7.0, 0.1, null)
            .row("EdgeTwoThreadsBenchmark", "jctoolsSpsc", "avgt", 5.0, 0.1, null);

    assertThat(compare(base, slower).status()).isEqualTo(CompareBaseline.REGRESSION);
    assertThat(compare(base, faster).status()).isEqualTo(CompareBaseline.PASS);
  }

  @Test
  void compare_referenceMissingFromTheRun_isBadInput() {
    JmhJson noReference = JmhJson.threeRounds().row("weirSharedIngress", 8.0, 0.2, 80.0);

    CompareBaseline.Report report = compare(baseline(), noReference);

    assertThat(report.status()).isEqualTo(CompareBaseline.BAD_INPUT);
    assertThat(report.render()).contains("is not in round 1").contains("CompareBaseline includes");
  }

  @Test
  void compare_oneForkResult_isBadInputThatAsksForRounds() {
    JmhJson oneFork =
        new JmhJson()
            .singleIteration("weirSharedIngress", 8)
            .singleIteration("arrayBlockingQueue", 10);

    CompareBaseline.Report report = compare(baseline(), oneFork);

    // One fork cannot show the noise between forks, and JMH's interval over its iterations is
    // narrower than that noise: it would fail healthy rows, so it is refused, not compared.
    assertThat(report.status()).isEqualTo(CompareBaseline.BAD_INPUT);
    assertThat(report.render())
        .contains("was measured in 1 round(s)")
        .contains("benchmarks/gate.sh");
  }

  @Test
  void compare_gatedRowMissingFromTheResult_isBadInput() {
    JmhJson withoutOneRow =
        JmhJson.threeRounds()
            .row("weirSharedIngress", 8.0, 0.2, 80.0)
            .row("arrayBlockingQueue", 10.0, 0.2, 16.0);

    CompareBaseline.Report report = compare(baseline(), withoutOneRow);

    // The row may have crashed: a nightly run that lost it must not pass.
    assertThat(report.status()).isEqualTo(CompareBaseline.BAD_INPUT);
    assertThat(report.render())
        .contains("weirIngressPerProducer thrpt: in the baseline but not in this result");
  }

  @Test
  void compare_rowMissingFromSomeRounds_isComparedAndNoted() {
    JmhJson gap = fiveRounds(1.0, 0);
    JmhJson sixth = fiveRounds(1.0, 0).inRound(6).row("arrayBlockingQueue", 10.0, 0.5, 16.0);

    CompareBaseline.Report report = compare(gap, sixth);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
    assertThat(report.render()).contains("measured in 5 of 6 rounds");
  }

  @Test
  void compare_allocationNotANumber_isBadInputNotOk() {
    JmhJson broken = new JmhJson();
    for (int k = 1; k <= 3; k++) {
      broken.inRound(k).row("weirSharedIngress", 8.0, 0.2, Double.NaN);
      broken.row("arrayBlockingQueue", 10.0, 0.2, 16.0);
    }

    CompareBaseline.Report report = compare(threeRoundsOfOneRow(), broken);

    assertThat(report.status()).isEqualTo(CompareBaseline.BAD_INPUT);
    assertThat(report.render()).contains("allocation in round 1 is not a number of bytes");
  }

  @Test
  void plant_slowsTheRowsButNotTheirReferences() {
    // weirMetricsOff is a Weir row and the reference of weirMetricsOn: planting "weir.*" must not
    // slow it, or metrics-on would keep its ratio and the plant would prove nothing there.
    JmhJson metrics =
        JmhJson.threeRounds()
            .row("MetricsOverheadBenchmark", "weirMetricsOff", "thrpt", 10.0, 0.05, 128.0)
            .row("MetricsOverheadBenchmark", "weirMetricsOn", "thrpt", 10.0, 0.05, 128.0);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    List<JmhRow> planted = CompareBaseline.plant(metrics.rows(), "weir.*=0.8", quiet);
    CompareBaseline.Report report =
        CompareBaseline.compare(
            metrics.rows(),
            planted,
            CompareBaseline.DEFAULT_THRESHOLD,
            CompareBaseline.DEFAULT_CONFIDENCE);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.REGRESSION);
  }

  @Test
  void plant_timePerOperationRow_growsItsTime() {
    JmhJson avgt =
        JmhJson.threeRounds()
            .row("EdgeTwoThreadsBenchmark", "weirBlock", "avgt", 10.0, 0.1, null)
            .row("EdgeTwoThreadsBenchmark", "jctoolsSpsc", "avgt", 5.0, 0.1, null);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    List<JmhRow> planted = CompareBaseline.plant(avgt.rows(), "weir.*=0.8", quiet);

    assertThat(planted.get(0).primary().score()).isCloseTo((10.0 - 0.1) / 0.8, within(1e-9));
    assertThat(CompareBaseline.compare(avgt.rows(), planted, 0.10, 0.99).status())
        .isEqualTo(CompareBaseline.REGRESSION);
  }

  @Test
  void run_missingFileOrBadOption_saysWhatIsWrong(@TempDir Path dir) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    String missing = dir.resolve("nothing.json").toString();

    assertThat(CompareBaseline.run(new String[] {"compare", missing, missing}, out))
        .isEqualTo(CompareBaseline.BAD_INPUT);
    assertThat(CompareBaseline.run(new String[] {"compare", "a", "b", "--threshold", "ten"}, out))
        .isEqualTo(CompareBaseline.BAD_INPUT);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("nothing.json: no such file")
        .contains("--threshold wants a number between 0 and 1, got ten");
  }

  private static JmhJson threeRoundsOfOneRow() {
    return JmhJson.threeRounds()
        .row("weirSharedIngress", 8.0, 0.2, 80.0)
        .row("arrayBlockingQueue", 10.0, 0.2, 16.0);
  }

  @Test
  void run_updateFromAResultWithoutReferences_refuses(@TempDir Path dir) throws Exception {
    Path result = dir.resolve("result.json");
    Path baseline = dir.resolve("baseline.json");
    JmhJson noReference = new JmhJson();
    for (int k = 1; k <= 3; k++) {
      noReference.inRound(k).row("weirSharedIngress", 8.0, 0.2, 80.0);
    }
    Files.writeString(result, noReference.build());

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

    assertThat(table).contains("| FanIn4Benchmark.weirSharedIngress | 8.000 |").contains("0.80×");
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
