package dev.weir.testkit.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testkit.internal.Artifacts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code weir-stress} command: bad arguments exit 2 naming the argument and the allowed values;
 * a planted bug exits 1 with artifacts and the replay command; and the same {@code --deterministic
 * --seed 42} in two separate JVMs gives the same trace hash and the same report.json, minus its
 * wall-clock fields.
 */
class WeirStressTest {

  /** What one in-process invocation printed and returned. */
  record Outcome(int exit, String out, String err) {}

  static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = WeirStress.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Outcome(exit, out.toString(), err.toString());
  }

  @Test
  void badArguments_exit2_namingTheArgumentAndTheAllowedValues() {
    Outcome category = run("--category", "disk");
    assertThat(category.exit()).isEqualTo(2);
    assertThat(category.err())
        .contains(
            "--category",
            "'disk' is not one of memory, cpu, concurrency, load, fault, long-running, all");

    Outcome intensity = run("--intensity", "extreme");
    assertThat(intensity.exit()).isEqualTo(2);
    assertThat(intensity.err()).contains("--intensity", "smoke, low, medium, high");

    Outcome duration = run("--duration", "10 minutes");
    assertThat(duration.exit()).isEqualTo(2);
    assertThat(duration.err()).contains("--duration", "e.g. 500ms, 30s, 10m, 1h");

    Outcome seed = run("--seed", "forty-two");
    assertThat(seed.exit()).isEqualTo(2);
    assertThat(seed.err()).contains("--seed", "forty-two");

    Outcome both = run("--deterministic", "--duration", "1m");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("--duration cannot be combined with --deterministic");

    Outcome uncaught = run("--plant", "leak", "--category", "cpu");
    assertThat(uncaught.exit()).isEqualTo(2);
    assertThat(uncaught.err()).contains("--plant leak is caught only in --category memory");

    Outcome unknown = run("--colour", "red");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown options: '--colour'");
  }

  @Test
  void help_listsEveryOptionCategoryPlantAndExitCode() {
    Outcome help = run("--help");

    assertThat(help.exit()).isZero();
    assertThat(help.out())
        .contains(
            "--category",
            "--intensity",
            "--duration",
            "--seed",
            "--deterministic",
            "--report-level",
            "--out",
            "--plant",
            "Exit codes:",
            "long-running",
            "never-fires");
  }

  @Test
  void plantedLostMessage_exits1_withArtifactsAndTheReplayCommand(@TempDir Path out)
      throws Exception {
    Outcome run =
        run(
            "--category",
            "cpu",
            "--deterministic",
            "--seed",
            "5",
            "--plant",
            "lost-message",
            "--out",
            out.toString());

    assertThat(run.exit()).as(run.out()).isEqualTo(1);
    String replay =
        "--category cpu --seed 5 --intensity smoke --deterministic --plant lost-message";
    assertThat(run.out())
        .contains("INVALID conservation", "weir-stress FAILED", "replay cpu: java -jar ")
        .contains(replay);
    Path scenario = out.resolve("cpu-pipeline-seed5");
    assertThat(scenario.resolve("seed.txt")).hasContent("5");
    assertThat(Files.readString(scenario.resolve("replay.txt"))).contains(replay);
    assertThat(scenario.resolve("snapshot.txt")).exists();
    Map<String, Object> suite = Artifacts.read(out.resolve("report.json"));
    assertThat(suite).containsEntry("passed", false).containsEntry("seed", 5);
    assertThat(out.resolve("report.html")).exists();
    assertThat(Files.readString(out.resolve("report.md")))
        .contains("## What failed", "conservation: INVALID");
  }

  @Test
  void plantedNeverFiringFault_exits1_reportingItNotExercised(@TempDir Path out) {
    Outcome run =
        run(
            "--category",
            "fault",
            "--duration",
            "1s",
            "--seed",
            "3",
            "--plant",
            "never-fires",
            "--out",
            out.toString());

    assertThat(run.exit()).as(run.out()).isEqualTo(1);
    assertThat(run.out()).contains("UNKNOWN faults", "planted: never fires NOT_EXERCISED");
    assertThat(Artifacts.read(out.resolve("fault-plan-seed3/report.json")).toString())
        .contains("verdict=NOT_EXERCISED");
  }

  /** Two JVMs, same seed: same trace hash, same report.json but for the wall-clock fields. */
  @Test
  void deterministicSeed42_inTwoProcesses_sameTraceHashAndReport(@TempDir Path dir)
      throws Exception {
    Map<String, Object> first = process(dir.resolve("first"));
    Map<String, Object> second = process(dir.resolve("second"));

    assertThat(first.get("traceHash")).isNotNull();
    assertThat(second.get("traceHash")).isEqualTo(first.get("traceHash"));
    assertThat(first).containsEntry("passed", true).containsEntry("deterministic", true);
    assertThat(withoutWallClock(second)).isEqualTo(withoutWallClock(first));
  }

  private static Map<String, Object> process(Path out) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = Files.createDirectories(out).resolve("console.txt");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WeirStress.class.getName());
    command.addAll(List.of("--deterministic", "--seed", "42", "--out", out.toString()));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int exit = p.waitFor();
    assertThat(exit).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("weir-stress PASSED", "trace hash");
    return Artifacts.read(out.resolve("report.json"));
  }

  /**
   * The report without what the wall clock decides: elapsed times, throughput, the series over
   * time, the liveness check's drain time and the number of samples the watchdog took.
   */
  @SuppressWarnings("unchecked")
  static Object withoutWallClock(Object json) {
    if (json instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (!List.of("elapsedMillis", "throughputPerSecond", "series").contains(key)) {
          copy.put(key, withoutWallClock(e.getValue()));
        }
      }
      if (copy.get("verdicts") instanceof Map<?, ?> verdicts) {
        Map<String, Object> v = new LinkedHashMap<>((Map<String, Object>) verdicts);
        for (String timed : List.of("liveness", "watchdog")) {
          if (v.get(timed) instanceof Map<?, ?> check) {
            Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) check);
            c.remove("detail"); // the drain time; the number of samples the watchdog took
            v.put(timed, c);
          }
        }
        copy.put("verdicts", v);
      }
      return copy;
    }
    if (json instanceof List<?> list) {
      return list.stream().map(WeirStressTest::withoutWallClock).toList();
    }
    return json;
  }
}
