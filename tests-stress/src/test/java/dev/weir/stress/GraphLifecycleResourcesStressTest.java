package dev.weir.stress;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import com.sun.management.UnixOperatingSystemMXBean;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.core.OfferStatus;
import dev.weir.core.OverflowPolicy;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.testkit.junit.SuiteScale;
import dev.weir.testkit.junit.WeirTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle resources: 10,000 graphs (500 at smoke scale) started, fed and stopped one after the
 * other, on two workers and one Micrometer registry, each with node names of its own, as an
 * application that builds a graph per tenant or per request does.
 *
 * <pre>
 *   ingress:in ──► parse-N ──► sink-N        ticker-N (every 1 ms) ──► ticks-N
 * </pre>
 *
 * <p>Guards against thread, meter, file-descriptor, logger and heap leaks. After the last stop: no
 * worker or stopper thread of these graphs is alive, the registry holds no meter, the SLF4J binding
 * holds no logger named after one of their nodes, the open file descriptors are as many as after
 * the warm-up (give or take a few that the JVM opens), and the post-GC heap grew by less than
 * {@value #HEAP_GROWTH_MB} MB. Every graph's ledger balances and its stop drains in time.
 *
 * <p>Bug it caught: a logger per distinct node name lived forever. Each node got the SLF4J logger
 * {@code dev.weir.node.<name>}, which the binding keeps for the life of the JVM: after a 100,000
 * node graph stopped, 100,003 loggers (18 MB) stayed reachable, and here every graph added four.
 * Node lines now go to the one logger {@code dev.weir.node} with the node as a key/value pair.
 *
 * <p>Run it at nightly scale: {@code mvn -B -ntp -pl tests-stress verify
 * -Dtest='GraphLifecycleResourcesStressTest'} (after the README's install step).
 */
@WeirTest
class GraphLifecycleResourcesStressTest {

  /** The post-GC heap may grow by less than this over the whole run. */
  static final long HEAP_GROWTH_MB = 32;

  /** File descriptors the JVM may open on its own meanwhile (class files, sockets of tools). */
  static final long FD_SLACK = 16;

  @Test
  void graphsStartedAndStopped_leaveNoThreadMeterLoggerFileOrHeapBehind(long seed)
      throws Exception {
    SuiteScale scale = StressReports.scale();
    int graphs = scale.pick(500, 10_000);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Scheduler scheduler = Scheduler.builder().workers(2).seed(seed).meterRegistry(registry).build();
    LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();

    int warmUp = Math.min(50, graphs / 10);
    for (int g = 0; g < warmUp; g++) {
      runOne(scheduler, "warm-" + g);
    }
    long heapBefore = usedHeapAfterGc();
    long fdsBefore = openFileDescriptors();
    int loggersBefore = loggers.getLoggerList().size();

    for (int g = 0; g < graphs; g++) {
      runOne(scheduler, "tenant-" + seed + "-" + g);
    }

    String[] weirThreads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter(n -> n.startsWith("weir-tenant-") || n.startsWith("weir-warm-"))
            .toArray(String[]::new);
    assertThat(weirThreads)
        .as("threads of stopped graphs: %s", Arrays.toString(weirThreads))
        .isEmpty();
    assertThat(registry.getMeters()).as("meters left in the registry").isEmpty();
    assertThat(loggers.getLoggerList())
        .as("loggers named after a node of a stopped graph")
        .noneMatch(l -> l.getName().contains("tenant-"));
    assertThat(loggers.getLoggerList().size() - loggersBefore)
        .as("loggers added by %d graphs", graphs)
        .isLessThan(10);
    long fdsAfter = openFileDescriptors();
    assertThat(fdsAfter)
        .as("open file descriptors (before: %d)", fdsBefore)
        .isLessThanOrEqualTo(fdsBefore + FD_SLACK);
    long grownMb = (usedHeapAfterGc() - heapBefore) >> 20;
    assertThat(grownMb)
        .as("post-GC heap growth over %d graphs, MB", graphs)
        .isLessThan(HEAP_GROWTH_MB);
  }

  /** Starts one graph with fresh node names, feeds it, lets it tick, stops it and checks it. */
  private static void runOne(Scheduler scheduler, String name) throws Exception {
    AtomicLong summed = new AtomicLong();
    Graph graph =
        Graph.builder(name)
            .add("parse-" + name, Nodes.map(String.class, Long.class, Long::parseLong))
            .add("sink-" + name, Nodes.sink(Long.class, summed::addAndGet))
            .add("ticker-" + name, Nodes.ticker(Duration.ofMillis(1)))
            .add("ticks-" + name, Nodes.sink(Long.class, tick -> {}))
            .connect(
                "ticker-" + name + ".out",
                "ticks-" + name + ".in",
                EdgeSpec.of(4, OverflowPolicy.LATEST))
            .ingress("in", "parse-" + name + ".in", EdgeSpec.blocking(16))
            .connect("parse-" + name + ".out", "sink-" + name + ".in", EdgeSpec.blocking(16))
            .build();
    RunningGraph running = scheduler.start(graph);
    ShutdownReport report;
    try {
      for (int i = 1; i <= 10; i++) {
        assertThat(
                running
                    .ingress("in", String.class)
                    .put(Integer.toString(i), Duration.ofSeconds(30))
                    .status())
            .isEqualTo(OfferStatus.ACCEPTED);
      }
      assertThat(running.awaitDrained(Duration.ofSeconds(30))).as(name).isTrue();
    } finally {
      report = running.stop(Duration.ofSeconds(30));
    }
    assertThat(report.timedOut()).as(report::render).isFalse();
    assertThat(report.ledger().balanced()).as(report::render).isTrue();
    assertThat(summed.get()).as(name).isEqualTo(55);
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      memory.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static long openFileDescriptors() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : 0;
  }
}
