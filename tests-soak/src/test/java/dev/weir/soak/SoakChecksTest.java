package dev.weir.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import dev.weir.testkit.RunRecord;
import dev.weir.testkit.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The soak's trend verdicts on synthetic probe samples of a 30-minute run (one every 5 s, warm-up 5
 * minutes): what a shared machine does to throughput passes, what a leak or a slowdown does fails.
 */
class SoakChecksTest {

  private static final SoakSettings NIGHTLY = SoakSettings.forDuration(Duration.ofMinutes(30));
  private static final RunRecord NO_RUN =
      new RunRecord("synthetic", 1, false, 0, Duration.ZERO, List.of(), List.of());

  @Test
  void throughput_onePlateauChangeHalfway_passes() throws Exception {
    // 830 k messages/s for 15 minutes, then 450 k: other processes took CPU, the engine is fine.
    List<SoakProbe.Sample> samples = run(t -> t < 900 ? 830_000 : 450_000, t -> 1.0, t -> 190);

    assertThat(verdict(SoakChecks.throughput(() -> samples, NIGHTLY))).isEqualTo(Verdict.VALID);
  }

  @Test
  void throughput_collapseToAnEighth_fails() throws Exception {
    List<SoakProbe.Sample> samples = run(t -> 800_000 - 700_000 * t / 1800.0, t -> 1.0, t -> 190);

    CheckResult result = SoakChecks.throughput(() -> samples, NIGHTLY).check(NO_RUN);

    assertThat(result.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(result.detail()).contains("throughput (messages/s)").contains("at most 75%");
  }

  @Test
  void costPerMessage_doublingOverTheRun_fails() throws Exception {
    // The same wall-clock rate bought with ever more CPU: each message costs more.
    List<SoakProbe.Sample> samples = run(t -> 400_000, t -> 0.5 + 1.5 * t / 1800.0, t -> 190);

    assertThat(verdict(SoakChecks.throughput(() -> samples, NIGHTLY))).isEqualTo(Verdict.VALID);
    assertThat(verdict(SoakChecks.efficiency(() -> samples, NIGHTLY))).isEqualTo(Verdict.INVALID);
  }

  @Test
  void meters_aTenantGraphRunningOrNot_passes() throws Exception {
    List<SoakProbe.Sample> samples = run(t -> 400_000, t -> 1.0, t -> (t / 5) % 3 == 0 ? 197 : 155);

    assertThat(verdict(SoakChecks.flatMeters(() -> samples, NIGHTLY, 200)))
        .isEqualTo(Verdict.VALID);
  }

  @Test
  void meters_oneLeftPerStoppedGraph_fails() throws Exception {
    List<SoakProbe.Sample> samples = run(t -> 400_000, t -> 1.0, t -> 190 + t);

    assertThat(verdict(SoakChecks.flatMeters(() -> samples, NIGHTLY, 200)))
        .isEqualTo(Verdict.INVALID);
  }

  private static Verdict verdict(Checker checker) throws Exception {
    return checker.check(NO_RUN).verdict();
  }

  /**
   * A probe's samples every 5 s over 30 minutes.
   *
   * @param rate messages per second at second t
   * @param cpuPerSecond CPU-seconds the process uses per second at second t
   * @param meters meters at second t
   */
  private static List<SoakProbe.Sample> run(
      LongToDoubleFunction rate, LongToDoubleFunction cpuPerSecond, LongToDoubleFunction meters) {
    List<SoakProbe.Sample> samples = new ArrayList<>();
    double tallied = 0;
    double cpu = 0;
    for (long t = 5; t <= 1800; t += 5) {
      tallied += rate.applyAsDouble(t) * 5;
      cpu += cpuPerSecond.applyAsDouble(t) * 5e9;
      samples.add(
          new SoakProbe.Sample(
              t * 1_000_000_000L, (long) tallied, (long) cpu, (int) meters.applyAsDouble(t), 22));
    }
    return samples;
  }
}
