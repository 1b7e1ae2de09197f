package dev.weir.stress;

import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.InputGate;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.RunningGraph;
import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import dev.weir.testkit.Checkers;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.ResourceMonitor;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.junit.SuiteScale;
import dev.weir.testkit.junit.WeirTest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Large objects: payloads of 1 MiB each through two BLOCK edges of capacity C (8 at smoke scale, 64
 * at nightly), filled to capacity, drained, many times over.
 *
 * <pre>
 *   feeder ── 1 MiB blobs ──► in ══BLOCK(C)══► relay ══BLOCK(C)══► sink (gated)
 * </pre>
 *
 * <p>Each round pauses the sink's input ({@link InputGate}) and offers blobs until the graph is
 * full: both edges hold C blobs and the relay one more in its outbox. Then it measures the heap
 * after a full collection (the toolkit's {@link ResourceMonitor}, from the collector's own report,
 * never {@code totalMemory - freeMemory}), resumes the sink, pushes {@code 10·C} more blobs through
 * with {@code put} while the sink runs, waits for the graph to drain and measures again. After the
 * last round the run stops the graph and the heap is measured a third time.
 *
 * <p>Guards against memory not bounded by capacity (an edge, outbox or node holding more than its
 * share: at capacity, heap after GC must stay within {@code 2·C + 1} blobs plus {@value #SLACK_MIB}
 * MiB of the baseline, and at least {@code 2·C} blobs less {@value #SLACK_MIB} MiB above it, which
 * proves the measure sees the payloads; a blob's cost to the heap is measured first, by holding C
 * of them, since a collector may round a large array up) and against references kept after drain (a
 * ring slot not cleared on poll, a last message kept by a node's cell, the event log or a snapshot:
 * once drained, and again once stopped, heap after GC must be back within {@value #SLACK_MIB} MiB
 * of the baseline, far less than the C MiB one edge's stale slots would keep). The conservation
 * ledger counts every blob.
 *
 * <p>Budget at nightly scale (C = 64, 5 rounds, about 4 GiB of payloads): heap after GC at most 129
 * blobs (258 MiB with G1's 1 MiB regions under the module's 2 GiB heap) plus 8 MiB above the
 * baseline while full, 8 MiB once drained; about 20 s on a loaded 2-core machine.
 *
 * <p>Run at nightly scale: {@code mvn -B -ntp -pl tests-stress -am verify -Djacoco.skip=true
 * -Dtest='LargePayloadsStressTest' -Dweir.scale=nightly}.
 */
@WeirTest
class LargePayloadsStressTest {

  private static final int MIB = 1 << 20;
  private static final long SLACK_MIB = 8;

  /** A payload of {@code data.length} bytes. */
  record Blob(long id, byte[] data) {}

  @Test
  void oneMebibytePayloads_atCapacity_holdOnlyWhatEdgesHold(long seed) {
    SuiteScale scale = StressReports.scale();
    int capacity = scale.pick(8, 64);
    ConservationLedger<Blob> ledger = ConservationLedger.of(Blob.class, Blob::id);
    AtomicReference<@Nullable InputGate> sinkGate = new AtomicReference<>();
    AtomicLong ids = new AtomicLong();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> figures = new ConcurrentLinkedQueue<>();

    try (ResourceMonitor heap = ResourceMonitor.manual()) {
      long baseline = heapAfterFullGc(heap);
      long perBlob = heapPerBlob(heap, baseline, capacity);
      long fullAtLeast = 2L * capacity * perBlob - SLACK_MIB * MIB;
      long fullBound = (2L * capacity + 1) * perBlob + SLACK_MIB * MIB;
      figures.add("a blob costs " + mib(perBlob) + " of heap");
      StressReports.record(
              StressTest.named("large-payloads-" + capacity)
                  .graph(
                      () ->
                          Graph.builder("blobs")
                              .add("relay", Nodes.map(Blob.class, Blob.class, b -> b))
                              .add("sink", new GatedSink(sinkGate, ledger))
                              .connect("relay.out", "sink.in", EdgeSpec.blocking(capacity))
                              .ingress("in", "relay.in", EdgeSpec.blocking(capacity))
                              .build())
                  .scheduler(b -> b.workers(2).deadLetters(ledger.deadLetters()))
                  .actor(
                      "feeder",
                      (env, random) -> {
                        int round = (int) env.operations();
                        InputGate gate = sinkGate.get();
                        if (gate == null) {
                          throw new IllegalStateException("the sink has not started");
                        }
                        gate.pause();
                        fill(env.graph(), env.ingress("in", Blob.class), ids, ledger);
                        long full = heapAfterFullGc(heap) - baseline;
                        gate.resume();
                        Ingress<Blob> in = env.ingress("in", Blob.class);
                        for (int i = 0; i < 10 * capacity; i++) {
                          Blob b = blob(ids);
                          if (!ledger.offered(b, in.put(b, Duration.ofMinutes(1)))) {
                            throw new AssertionError(
                                "put of blob " + b.id() + " not taken in a minute");
                          }
                        }
                        if (!env.graph().awaitDrained(Duration.ofMinutes(1))) {
                          throw new AssertionError("the graph did not drain in a minute");
                        }
                        long drained = heapAfterFullGc(heap) - baseline;
                        figures.add(
                            String.format(
                                Locale.ROOT,
                                "round %d: full %s, drained %s",
                                round,
                                mib(full),
                                mib(drained)));
                        if (full > fullBound || full < fullAtLeast) {
                          problems.add(
                              "round "
                                  + round
                                  + ": at capacity, heap after GC is "
                                  + mib(full)
                                  + " above the baseline; expected between "
                                  + mib(fullAtLeast)
                                  + " and "
                                  + mib(fullBound));
                        }
                        if (drained > SLACK_MIB * MIB) {
                          problems.add(
                              "round "
                                  + round
                                  + ": drained, heap after GC is still "
                                  + mib(drained)
                                  + " above the baseline (references kept after drain)");
                        }
                        return Outcome.COUNTED;
                      })
                  .operations(scale.pick(3L, 5L))
                  .duration(Duration.ofMinutes(2))
                  .seed(seed)
                  .ledger(ledger)
                  .check("clean stop", Checkers.cleanShutdown())
                  .check(
                      "heap bounded by capacity, released after drain", rounds(problems, figures))
                  .check("heap released after stop", afterStop(heap, baseline))
                  .artifacts(StressReports.root())
                  .run())
          .assertPassed();
    }
  }

  /** Offers until the graph is full: an offer refused right after the graph went quiet. */
  private static void fill(
      RunningGraph graph, Ingress<Blob> in, AtomicLong ids, ConservationLedger<Blob> ledger)
      throws InterruptedException {
    while (true) {
      OfferStatus status;
      do {
        Blob b = blob(ids);
        OfferResult r = in.offer(b);
        ledger.offered(b, r);
        status = r.status();
      } while (status != OfferStatus.BLOCKED);
      if (!graph.awaitQuiescence(Duration.ofMinutes(1))) {
        throw new AssertionError("the graph did not go quiet in a minute");
      }
      Blob probe = blob(ids);
      OfferResult r = in.offer(probe);
      ledger.offered(probe, r);
      if (r.status() == OfferStatus.BLOCKED) {
        return;
      }
    }
  }

  /**
   * What one blob costs the heap, measured by holding {@code count} of them: more than its 1 MiB
   * where the collector rounds a large array up (G1 gives an array larger than half a region whole
   * regions of its own: with 1 MiB regions, two for each blob).
   */
  private static long heapPerBlob(ResourceMonitor heap, long baseline, int count) {
    Blob[] held = new Blob[count];
    AtomicLong ids = new AtomicLong(-count);
    for (int i = 0; i < count; i++) {
      held[i] = blob(ids);
    }
    long cost = (heapAfterFullGc(heap) - baseline) / count;
    if (held[count - 1].data().length != MIB) {
      throw new AssertionError("unreachable: keeps the blobs reachable until measured");
    }
    return cost;
  }

  private static Blob blob(AtomicLong ids) {
    return new Blob(ids.getAndIncrement(), new byte[MIB]);
  }

  /**
   * Forces a full collection and returns the heap after it, from the collector's notification; the
   * wait is for that notification, which the JVM delivers on its own thread.
   */
  private static long heapAfterFullGc(ResourceMonitor heap) {
    long seen = heap.collectionsSeen();
    ManagementFactory.getMemoryMXBean().gc();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> heap.collectionsSeen() > seen);
    return heap.sample().heapAfterGcBytes();
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
  }

  private static Checker rounds(
      ConcurrentLinkedQueue<String> problems, ConcurrentLinkedQueue<String> figures) {
    return run ->
        problems.isEmpty()
            ? CheckResult.valid(String.join("; ", figures))
            : CheckResult.invalid(
                String.join("; ", problems) + " [" + String.join("; ", figures) + "]");
  }

  /** Runs after the last graph stopped: nothing of it may hold a blob any more. */
  private static Checker afterStop(ResourceMonitor heap, long baseline) {
    return run -> {
      long held = heapAfterFullGc(heap) - baseline;
      String figures = "heap after GC " + mib(held) + " above the baseline after the stop";
      return held <= SLACK_MIB * MIB
          ? CheckResult.valid(figures)
          : CheckResult.invalid(figures + " (more than " + SLACK_MIB + " MiB: references kept)");
    };
  }

  /** Records each delivery; publishes its input gate so the feeder can hold its input back. */
  static final class GatedSink implements Node {
    static final PortSpec<Blob> IN = PortSpec.of("in", Blob.class);
    private final AtomicReference<@Nullable InputGate> gate;
    private final ConservationLedger<Blob> ledger;

    GatedSink(AtomicReference<@Nullable InputGate> gate, ConservationLedger<Blob> ledger) {
      this.gate = gate;
      this.ledger = ledger;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(IN);
    }

    @Override
    public void onStart(NodeContext ctx) {
      gate.set(ctx.inputGate());
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      ledger.delivered((Blob) message.payload());
    }
  }
}
