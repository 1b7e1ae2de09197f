package dev.weir.benchmarks.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed benchmarks/baseline.json stays usable by the gate. */
class StoredBaselineTest {

  /** Surefire runs in the module's directory. */
  private static final Path BASELINE = Path.of("baseline.json");

  @Test
  void storedBaseline_everyGatedRow_hasItsReferencesAllocationAndRounds() throws Exception {
    List<JmhRow> rows = CompareBaseline.read(BASELINE);

    Summary summary = Summary.of(rows, CompareBaseline.DEFAULT_CONFIDENCE);

    assertThat(summary.problems()).isEmpty();
    assertThat(summary.entries().values())
        .isNotEmpty()
        .allMatch(e -> e.alloc() != null, "allocation measured (-prof gc)")
        .allMatch(e -> e.rounds() >= CompareBaseline.MIN_BASELINE_ROUNDS, "enough rounds");
  }

  @Test
  void storedBaseline_coversEveryClassTheGateRuns() throws Exception {
    List<JmhRow> rows = CompareBaseline.read(BASELINE);

    assertThat(rows).extracting(JmhRow::className).containsAll(References.BY_CLASS.keySet());
  }

  @Test
  void storedBaseline_comparedWithItself_passes() throws Exception {
    List<JmhRow> rows = CompareBaseline.read(BASELINE);

    CompareBaseline.Report report =
        CompareBaseline.compare(
            rows, rows, CompareBaseline.DEFAULT_THRESHOLD, CompareBaseline.DEFAULT_CONFIDENCE);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
  }
}
