package dev.weir.benchmarks.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        .allMatch(e -> e.rounds() >= Summary.MIN_ROUNDS, "enough rounds");
  }

  @Test
  void storedBaseline_coversEveryClassTheGateRuns() throws Exception {
    List<JmhRow> rows = CompareBaseline.read(BASELINE);

    assertThat(rows).extracting(JmhRow::className).containsAll(References.BY_CLASS.keySet());
  }

  @Test
  void storedBaseline_itsOwnRoundsSlowedByAQuarter_fail() throws Exception {
    // Not a measurement: it checks that the baseline's intervals are narrow enough for a 25%
    // slowdown of every Weir row to stand out against the baseline itself. A baseline recorded on a
    // machine too noisy for that would fail here, before a night of planted runs shows it.
    List<JmhRow> rows = CompareBaseline.read(BASELINE);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    CompareBaseline.Report report =
        CompareBaseline.compare(
            rows,
            CompareBaseline.plant(rows, "weir.*=0.8", quiet),
            CompareBaseline.DEFAULT_THRESHOLD,
            CompareBaseline.DEFAULT_CONFIDENCE);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.REGRESSION);
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
