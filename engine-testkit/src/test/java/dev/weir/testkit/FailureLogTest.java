package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.core.OfferResult;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed run's {@code log.txt} holds the engine's own WARN lines, whatever the SLF4J binding:
 * this module's tests log through slf4j-simple (tests-integration has the same test for Logback,
 * {@code FailureLogLogbackTest}). The graph's map node emits to an output with no edge, which the
 * engine reports once at WARN.
 */
class FailureLogTest {

  static final String UNROUTED = "node lonely emitted to output 'out', which has no edge";

  @Test
  void failedRun_keepsTheEnginesWarnLinesAndTheRevision(@TempDir Path artifacts) {
    AtomicLong ids = new AtomicLong();
    StressResult result =
        StressTest.named("unrouted")
            .graph(
                () ->
                    Graph.builder("unrouted")
                        .add("lonely", Nodes.map(Long.class, Long.class, x -> x))
                        .ingress("in", "lonely.in", EdgeSpec.blocking(8))
                        .build())
            .actor(
                "feeder",
                (env, random) -> {
                  OfferResult sent = env.ingress("in", Long.class).offer(ids.getAndIncrement());
                  return sent.status().isEnqueued() ? Outcome.COUNTED : Outcome.NOT_COUNTED;
                })
            .operations(100)
            .check("planted failure", Checkers.invariant("never holds", run -> false))
            .artifacts(artifacts)
            .console(line -> {})
            .run();

    assertThat(result.passed()).isFalse();
    assertThat(result.folder().resolve("log.txt"))
        .content()
        .startsWith("# the last ")
        .contains("WARN", UNROUTED);
    assertThat(result.folder().resolve("revision.txt"))
        .content()
        .matches("([0-9a-f]{40}(-dirty)?|unknown)\n");
    assertThat(result.folder().resolve("report.json")).content().contains("\"gitRevision\"");
  }
}
