package dev.weir.benchmarks;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The verification run behind the "threads" column of docs/benchmarks.md: runs every pipeline4 and
 * fan_in4 variant once with stages that note their thread ({@link ThreadRecorder}) and prints, per
 * variant, which threads ran each stage. A variant whose "asynchronous" idiom silently collapsed
 * onto one thread shows it here.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.weir.benchmarks.StageThreads
 * [items]} (default 1000000 items per pipeline run). Prints Markdown tables.
 *
 * <p>Thread-safety: a command-line tool; {@link #pipeline4} and {@link #fanIn4} are called from one
 * thread.
 */
public final class StageThreads {

  private StageThreads() {}

  /**
   * Runs the check and prints the table.
   *
   * @param args optional: items per pipeline run
   * @throws Exception if a variant fails
   */
  public static void main(String[] args) throws Exception {
    long size = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    PrintStream out = System.out;
    out.println("pipeline4, " + size + " items (second run of each variant):");
    print(out, pipeline4(size));
    out.println();
    out.println("fan_in4, " + FanIn4.TOTAL + " messages:");
    print(out, fanIn4());
  }

  private static void print(PrintStream out, Map<String, Observed> results) {
    Set<String> stages = new TreeSet<>();
    results.values().forEach(o -> stages.addAll(o.threads().keySet()));
    StringBuilder header = new StringBuilder("| variant |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String stage : stages) {
      header.append(' ').append(stage.substring(stage.indexOf(' ') + 1)).append(" |");
      rule.append("---|");
    }
    out.println(header.append(" CPU / wall |"));
    out.println(rule.append("---:|"));
    results.forEach(
        (variant, o) -> {
          StringBuilder row = new StringBuilder("| " + variant + " |");
          for (String stage : stages) {
            row.append(' ').append(compact(o.threads().getOrDefault(stage, Set.of()))).append(" |");
          }
          out.println(row.append(String.format(Locale.ROOT, " %.2f |", o.cpuPerWall())));
        });
  }

  /** Names as they are, or "N × prefix" when a pool hands a stage around many threads. */
  private static String compact(Set<String> names) {
    if (names.size() <= 2) {
      return String.join(", ", names);
    }
    String first = names.iterator().next();
    int dash = first.lastIndexOf('-');
    return names.size() + " threads of " + (dash > 0 ? first.substring(0, dash) : first);
  }

  /**
   * What one variant showed: per stage, the names of the threads that ran it, and the process CPU
   * time over the wall time of the run (about 1 for a run on one thread at a time, up to 2 here
   * when two threads really work at once; JIT and GC threads add a little).
   *
   * @param threads per stage, the thread names
   * @param cpuPerWall process CPU time divided by wall time
   */
  public record Observed(Map<String, Set<String>> threads, double cpuPerWall) {}

  /**
   * Runs every pipeline4 variant once with recording stages.
   *
   * @param size items per run
   * @return per variant, per stage, the thread names seen
   * @throws Exception if a variant fails or returns a wrong sum
   */
  public static Map<String, Observed> pipeline4(long size) throws Exception {
    Map<String, Observed> results = new LinkedHashMap<>();
    Runtimes.ReactorPair reactor = new Runtimes.ReactorPair();
    Runtimes.RxPair rx = new Runtimes.RxPair();
    Runtimes.Pekko pekko = new Runtimes.Pekko();
    Runtimes.ProducerThread producer = new Runtimes.ProducerThread();
    reactor.start();
    rx.start();
    pekko.start();
    producer.start();
    try {
      results.put("weirOneWorker", run(size, st -> Pipeline4.weir(st, 1, null)));
      results.put("weirTwoWorkers", run(size, st -> Pipeline4.weir(st, 2, null)));
      results.put("reactorFused", run(size, Pipeline4::reactorFused));
      results.put(
          "reactorPublishOn", run(size, st -> Pipeline4.reactorPublishOn(st, reactor.consumer)));
      results.put(
          "reactorSubscribeOnPublishOn",
          run(
              size,
              st -> Pipeline4.reactorSubscribeOnPublishOn(st, reactor.producer, reactor.consumer)));
      results.put("rxFused", run(size, Pipeline4::rxFused));
      results.put("rxObserveOn", run(size, st -> Pipeline4.rxObserveOn(st, rx.consumer)));
      results.put(
          "rxSubscribeOnObserveOn",
          run(size, st -> Pipeline4.rxSubscribeOnObserveOn(st, rx.producer, rx.consumer)));
      results.put("pekkoFused", run(size, st -> Pipeline4.pekkoFused(st, pekko.system)));
      results.put("pekkoAsync", run(size, st -> Pipeline4.pekkoAsync(st, pekko.system)));
      results.put("abqTwoThreads", run(size, st -> Pipeline4.abqTwoThreads(st, producer.executor)));
    } finally {
      producer.stop();
      pekko.stop();
      rx.stop();
      reactor.stop();
    }
    return results;
  }

  /**
   * Runs every fan_in4 variant once with recording stages.
   *
   * @return per variant, per stage, the thread names seen
   * @throws Exception if a variant fails or returns a wrong sum
   */
  public static Map<String, Observed> fanIn4() throws Exception {
    Map<String, Observed> results = new LinkedHashMap<>();
    results.put("weirSharedIngress", run(new FanIn4.WeirSharedIngress()));
    results.put("weirSharedIngressBatch", run(new FanIn4.WeirSharedIngressBatch()));
    results.put("weirIngressPerProducer", run(new FanIn4.WeirIngressPerProducer()));
    results.put("arrayBlockingQueue", run(new FanIn4.Abq()));
    results.put("jctoolsMpsc", run(new FanIn4.Mpsc()));
    results.put("jctoolsMpscBatch", run(new FanIn4.MpscBatch()));
    results.put("reactorMerge", run(new FanIn4.ReactorMerge()));
    results.put("pekkoMerge", run(new FanIn4.PekkoMerge()));
    return results;
  }

  /** One pipeline run over recording stages. */
  private interface PipelineRun {
    long run(Stages stages) throws Exception;
  }

  private static Observed run(long size, PipelineRun variant) throws Exception {
    Observed last = null;
    for (int round = 0; round < 2; round++) { // the first run warms the JIT up
      ThreadRecorder recorder = new ThreadRecorder();
      Stages stages = Stages.recorded(size, recorder);
      long cpu = processCpuNanos();
      long wall = System.nanoTime();
      Check.equal("pipeline4 (recorded)", stages.expectedSum(), variant.run(stages));
      double ratio = (double) (processCpuNanos() - cpu) / (System.nanoTime() - wall);
      last = new Observed(withCaller(recorder.snapshot()), ratio);
    }
    return last;
  }

  private static Observed run(FanIn4.Variant variant) throws Exception {
    ThreadRecorder recorder = new ThreadRecorder();
    variant.recorder = recorder;
    variant.start();
    try {
      Check.equal("fan_in4 (recorded)", FanIn4.SUM_PER_RUN, variant.run());
      long cpu = processCpuNanos();
      long wall = System.nanoTime();
      Check.equal("fan_in4 (recorded)", FanIn4.SUM_PER_RUN, variant.run());
      double ratio = (double) (processCpuNanos() - cpu) / (System.nanoTime() - wall);
      return new Observed(withCaller(recorder.snapshot()), ratio);
    } finally {
      variant.stop();
    }
  }

  private static long processCpuNanos() {
    return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
        .getProcessCpuTime();
  }

  /** Marks the calling thread, so a reader can tell "ran on the caller" from "ran elsewhere". */
  private static Map<String, Set<String>> withCaller(Map<String, Set<String>> seen) {
    String caller = Thread.currentThread().getName();
    Map<String, Set<String>> marked = new LinkedHashMap<>();
    seen.forEach(
        (stage, names) -> {
          Set<String> out = new TreeSet<>();
          for (String n : names) {
            out.add(n.equals(caller) ? n + " (caller)" : n);
          }
          marked.put(stage, out);
        });
    return marked;
  }
}
