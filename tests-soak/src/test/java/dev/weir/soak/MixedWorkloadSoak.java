package dev.weir.soak;

import dev.weir.testkit.junit.WeirTest;
import org.junit.jupiter.api.Test;

/**
 * The soak: {@link MixedWorkload} (every overflow policy, ticks, CONTROL traffic, ingress from
 * several threads, injected faults with restarts, per-tenant graphs started and stopped with fresh
 * node names) for {@code weir.soak.duration}: about a minute inside the root build, 30 minutes when
 * the module is built alone.
 *
 * <pre>
 * mvn -B -ntp -pl tests-soak -am verify -Djacoco.skip=true -Dweir.soak.duration=PT5M
 * </pre>
 *
 * <p>Guards against what only shows over time: memory retained per message, per graph or per node
 * name (heap after GC, SLF4J loggers), threads, meters or file descriptors left behind by stopped
 * graphs, a cost per message that grows, and a message lost on a long run. Each verdict and its
 * bound is in {@link SoakRun}; the report with its charts is under {@code
 * tests-soak/target/weir-reports/mixed-workload-seedN/}.
 *
 * <p>Bug it found: every distinct node name left one SLF4J logger ({@code dev.weir.node.<name>})
 * behind for good, so an application starting per-tenant graphs grew without bound. On such an
 * engine the one-minute soak fails with {@code loggers} (tens of thousands more) and {@code heap}
 * (5 to 8 MiB a minute against a bound of 2).
 */
@WeirTest
class MixedWorkloadSoak {

  @Test
  void mixedWorkload_forTheSoakDuration_keepsResourcesFlatAndBooksBalanced(long seed) {
    SoakRun.run("mixed-workload", MixedWorkload.steady(), SoakSettings.current(), seed)
        .assertPassed();
  }
}
