package dev.weir.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.benchmarks.tools.CompareBaseline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps the benchmarks from rotting: runs every JMH benchmark of the module once, in this JVM (no
 * fork, no warm-up, one measurement iteration of one invocation or so), through the code JMH
 * generated. Every benchmark checks its own result, so a broken workload fails here. The scores are
 * meaningless and never looked at; the regression gate is a separate command (docs/benchmarks.md).
 */
class BenchmarkSmokeTest {

  /** Every benchmark method of the module, as JMH names them. */
  private static final List<String> EXPECTED =
      List.of(
          "EdgeSameThreadBenchmark.weirBlock",
          "EdgeSameThreadBenchmark.weirDrop",
          "EdgeSameThreadBenchmark.weirLatest",
          "EdgeSameThreadBenchmark.weirCoalesce",
          "EdgeSameThreadBenchmark.arrayDeque",
          "EdgeSameThreadBenchmark.arrayBlockingQueue",
          "EdgeSameThreadBenchmark.jctoolsSpsc",
          "EdgeTwoThreadsBenchmark.weirBlock",
          "EdgeTwoThreadsBenchmark.arrayBlockingQueue",
          "EdgeTwoThreadsBenchmark.jctoolsSpsc",
          "Pipeline4Benchmark.weirOneWorker",
          "Pipeline4Benchmark.weirTwoWorkers",
          "Pipeline4Benchmark.reactorFused",
          "Pipeline4Benchmark.reactorPublishOn",
          "Pipeline4Benchmark.reactorSubscribeOnPublishOn",
          "Pipeline4Benchmark.rxFused",
          "Pipeline4Benchmark.rxObserveOn",
          "Pipeline4Benchmark.rxSubscribeOnObserveOn",
          "Pipeline4Benchmark.pekkoFused",
          "Pipeline4Benchmark.pekkoAsync",
          "Pipeline4Benchmark.abqTwoThreads",
          "FanIn4Benchmark.weirSharedIngress",
          "FanIn4Benchmark.weirSharedIngressBatch",
          "FanIn4Benchmark.weirIngressPerProducer",
          "FanIn4Benchmark.arrayBlockingQueue",
          "FanIn4Benchmark.jctoolsMpsc",
          "FanIn4Benchmark.jctoolsMpscBatch",
          "FanIn4Benchmark.reactorMerge",
          "FanIn4Benchmark.pekkoMerge",
          "MetricsOverheadBenchmark.weirMetricsOff",
          "MetricsOverheadBenchmark.weirMetricsOn",
          "NodeChainBenchmark.weir",
          "WorkerScalingBenchmark.weirPipelineBlock1OneWorker",
          "WorkerScalingBenchmark.weirPipelineBlock1TwoWorkers",
          "WorkerScalingBenchmark.weirFanIn1000OneWorker",
          "WorkerScalingBenchmark.weirFanIn1000TwoWorkers",
          "TickingNodesBenchmark.oneIntervalOfTicks");

  @Test
  void everyBenchmark_oneTinyIteration_runsAndVerifiesItsResult(@TempDir Path dir)
      throws Exception {
    Path result = dir.resolve("smoke.json");
    Options options =
        new OptionsBuilder()
            .include("dev\\.weir\\.benchmarks\\..*Benchmark\\..*")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(1))
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .resultFormat(ResultFormatType.JSON)
            .result(result.toString())
            .build();

    // JMH takes a machine-wide lock (/tmp/jmh.lock) so that two measurement runs cannot disturb
    // each other. A smoke iteration measures nothing, and must not fail the build because someone
    // is benchmarking on the same machine.
    System.setProperty("jmh.ignoreLock", "true");
    Collection<RunResult> results = new Runner(options).run();

    List<String> ran =
        results.stream()
            .map(r -> r.getParams().getBenchmark())
            .map(name -> name.substring("dev.weir.benchmarks.".length()))
            .distinct() // one entry per method, however many @Param values it ran with
            .collect(Collectors.toList());
    assertThat(ran).containsExactlyInAnyOrderElementsOf(EXPECTED);
    // The gate reads JMH's real output. Three copies of the one smoke result stand in for three
    // rounds: the scores are meaningless (one invocation each) and the copies have no spread, so
    // this checks that merge, update and compare understand the JSON this JMH writes, not the
    // statistics (CompareBaselineTest covers those).
    String json = result.toString();
    String merged = dir.resolve("merged.json").toString();
    String baseline = dir.resolve("baseline.json").toString();
    assertThat(compare("merge", merged, json, json, json)).isEqualTo(CompareBaseline.PASS);
    assertThat(compare("update", merged, baseline)).isEqualTo(CompareBaseline.PASS);
    assertThat(compare("compare", baseline, merged)).isEqualTo(CompareBaseline.PASS);
    assertThat(compare("compare", baseline, merged, "--plant", "weir.*=0.8"))
        .isEqualTo(CompareBaseline.REGRESSION);
    // A single fork is refused, not compared.
    assertThat(compare("compare", baseline, json)).isEqualTo(CompareBaseline.BAD_INPUT);
  }

  private static int compare(String... args) {
    return CompareBaseline.run(
        args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }
}
