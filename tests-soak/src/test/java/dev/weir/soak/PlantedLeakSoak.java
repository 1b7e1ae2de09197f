package dev.weir.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testkit.StressResult;
import dev.weir.testkit.Verdict;
import dev.weir.testkit.junit.WeirTest;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Proof that the soak sees a leak: the same workload with a node before the tally that keeps the
 * messages it forwards (with a 64 KiB ballast each) at 1 MiB a second, thirty times the short-run
 * heap bound, must fail with the {@code heap} verdict, and its report's heap chart must show the
 * trend above the threshold. Runs for 30 seconds at every scale, whatever {@code
 * weir.soak.duration} says.
 *
 * <pre>
 * mvn -B -ntp -pl tests-soak -am verify -Djacoco.skip=true -Dtest='PlantedLeakSoak'
 * </pre>
 */
@WeirTest
class PlantedLeakSoak {

  static final long LEAK_BYTES_PER_SECOND = 1024 * 1024;

  @Test
  void retainingNode_failsTheSoakWithTheHeapVerdict(long seed) throws IOException {
    SoakSettings settings = SoakSettings.forDuration(Duration.ofSeconds(30));
    MixedWorkload leaking = MixedWorkload.leaking(LEAK_BYTES_PER_SECOND);

    StressResult result = SoakRun.run("planted-leak", leaking, settings, seed);

    assertThat(result.passed()).as("a soak with a planted leak must fail").isFalse();
    assertThat(result.check("heap").verdict())
        .as("heap verdict: %s", result.check("heap").detail())
        .isEqualTo(Verdict.INVALID);
    assertThat(result.check("books").verdict())
        .as("the leak forwards everything: %s", result.check("books").detail())
        .isEqualTo(Verdict.VALID);
    String html = Files.readString(result.folder().resolve("report.html"));
    assertThat(html).contains("chart-heapAfterGc").contains("trend ").contains("threshold ");
  }
}
