package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.testkit.Checkers;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed stress run's {@code log.txt} holds the engine's WARN lines under Logback, this suite's
 * binding (its {@code ConsoleAppender} writes to standard output), as engine-testkit's {@code
 * FailureLogTest} shows for slf4j-simple: the toolkit keeps the console, not a binding's appender.
 * Here the sink throws on every message, so each one is dead-lettered and logged at WARN, and the
 * run's check that nothing was dead-lettered fails.
 */
class FailureLogLogbackTest {

  @Test
  void failedRun_keepsTheDeadLetterWarningsUnderLogback(@TempDir Path artifacts) {
    StressResult result =
        StressTest.named("dead-letters-logback")
            .graph(
                () ->
                    Graph.builder("picky")
                        .add(
                            "picky",
                            Nodes.sink(
                                Long.class,
                                x -> {
                                  throw new IllegalStateException("planted: refuses " + x);
                                }))
                        .ingress("in", "picky.in", EdgeSpec.blocking(4))
                        .build())
            .actor(
                "feeder",
                (env, random) ->
                    env.ingress("in", Long.class).offer(random.nextLong()).status().isEnqueued()
                        ? Outcome.COUNTED
                        : Outcome.NOT_COUNTED)
            .operations(20)
            .check(
                "nothing dead-lettered",
                Checkers.invariant(
                    "no dead letters", run -> run.last().report().deadLetters() == 0))
            .artifacts(artifacts)
            .console(line -> {})
            .run();

    assertThat(result.passed()).isFalse();
    assertThat(result.folder().resolve("log.txt"))
        .content()
        .contains("WARN", "dead letter at node picky", "planted: refuses");
  }
}
