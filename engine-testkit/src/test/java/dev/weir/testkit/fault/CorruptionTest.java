package dev.weir.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.Verdict;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corruption generator against the checksum checker: a payload mutated on its way (checksum
 * kept) must be caught at the sink, every time it happens; the same run without corruption passes.
 */
class CorruptionTest {

  private static StressTest run(String name, Path artifacts, ChecksumVerifier verifier) {
    AtomicLong ids = new AtomicLong();
    return StressTest.named(name)
        .scheduler(b -> b.workers(2))
        .actors("feeder", 2, FaultGraphs.sealedFeeder(ids))
        .operations(1_000)
        .check("checksums", verifier.checker())
        .artifacts(artifacts)
        .console(line -> {});
  }

  @Test
  void corruptedPayloads_areEachCaughtByTheChecksums(@TempDir Path artifacts) {
    ChecksumVerifier verifier = ChecksumVerifier.create();
    Fault flip =
        Fault.corruptWithProbability(
            "flip a bit",
            0.02,
            Reading.class,
            (r, random) -> new Reading(r.id(), r.value() ^ (1L << random.nextInt(64))));
    FaultPlan plan = FaultPlan.of(flip);

    StressResult result =
        run("corrupted", artifacts, verifier)
            .graph(
                FaultGraphs.sealedPipeline(
                    () -> plan.wrap(FaultGraphs.sealedForwarder()), verifier))
            .faults(plan)
            .run();

    assertThat(result.passed()).isFalse();
    assertThat(flip.fired()).as("the planted corruption happened").isPositive();
    assertThat(result.check("checksums").verdict()).as(result.summary()).isEqualTo(Verdict.INVALID);
    assertThat(verifier.corrupted()).as("every corruption caught").isEqualTo(flip.fired());
    assertThat(verifier.verified()).isEqualTo(result.run().operations());
    assertThat(result.check("faults").verdict()).isEqualTo(Verdict.VALID);
  }

  @Test
  void samePipelineWithoutCorruption_passes(@TempDir Path artifacts) {
    ChecksumVerifier verifier = ChecksumVerifier.create();

    StressResult result =
        run("intact", artifacts, verifier)
            .graph(FaultGraphs.sealedPipeline(FaultGraphs::sealedForwarder, verifier))
            .run();

    result.assertPassed();
    assertThat(verifier.verified())
        .isEqualTo(result.run().operations())
        .isGreaterThanOrEqualTo(1_000);
    assertThat(result.check("checksums").detail()).endsWith("payloads verified, all intact");
  }
}
