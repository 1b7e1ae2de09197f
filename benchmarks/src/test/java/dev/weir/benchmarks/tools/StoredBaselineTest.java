package dev.weir.benchmarks.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed benchmarks/baseline.json stays usable by the gate. */
class StoredBaselineTest {

  /** Surefire runs in the module's directory. */
  private static final Path BASELINE = Path.of("baseline.json");

  @Test
  void storedBaseline_everyWeirRow_hasItsReferenceAndAllocation() throws Exception {
    List<JmhRow> rows = CompareBaseline.read(BASELINE);
    List<String> problems = new ArrayList<>();

    CompareBaseline.ratios(rows, problems);

    assertThat(problems).isEmpty();
    assertThat(rows)
        .filteredOn(CompareBaseline::gated)
        .isNotEmpty()
        .allMatch(r -> r.alloc() != null);
  }

  @Test
  void storedBaseline_comparedWithItself_passes() throws Exception {
    List<JmhRow> rows = CompareBaseline.read(BASELINE);

    CompareBaseline.Report report =
        CompareBaseline.compare(rows, rows, CompareBaseline.DEFAULT_THRESHOLD);

    assertThat(report.status()).as(report.render()).isEqualTo(CompareBaseline.PASS);
  }
}
