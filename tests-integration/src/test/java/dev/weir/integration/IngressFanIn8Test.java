package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.InputGate;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Eight application threads feed a running graph through two ingresses, four with {@code offer}
 * (retrying on BLOCKED) and four with {@code put}; every item arrives once, in each thread's order,
 * and the ingress edges count every refusal. Stopping the graph answers CLOSED to every caller,
 * including those waiting in {@code put}, while what was accepted still drains.
 *
 * <pre>
 *   4 threads ──offer──► ingress "offers" (BLOCK 64) ──┐
 *                                                      ├──► collector (checks per-thread order)
 *   4 threads ──put────► ingress "puts"   (BLOCK 64) ──┘
 * </pre>
 */
class IngressFanIn8Test {

  private static final int THREADS_PER_KIND = 4;
  private static final int ITEMS = 5_000;

  @RegisterExtension final LogCapture logs = new LogCapture();

  @WorkerCounts
  void manyThreads_offerAndPut_deliverEachItemOnceInPerThreadOrder(int workers) throws Exception {
    Collector collector = new Collector(2 * THREADS_PER_KIND, 500);
    Graph graph = graph("fan-in-" + workers, collector);
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder().workers(workers).deadLetters(dead).build().start(graph);
    AtomicLong blockedSeen = new AtomicLong();
    ShutdownReport report;
    try {
      Ingress<Item> offers = running.ingress("offers", Item.class);
      Ingress<Item> puts = running.ingress("puts", Item.class);
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch go = new CountDownLatch(1);
      for (int t = 0; t < 2 * THREADS_PER_KIND; t++) {
        int producer = t;
        boolean viaPut = t >= THREADS_PER_KIND;
        Thread thread =
            new Thread(
                () -> {
                  try {
                    go.await();
                    for (long seq = 0; seq < ITEMS; seq++) {
                      Item item = new Item(producer, seq);
                      OfferResult r;
                      if (viaPut) {
                        r = puts.put(item, Duration.ofSeconds(30));
                      } else {
                        while ((r = offers.offer(item)).status() == OfferStatus.BLOCKED) {
                          blockedSeen.incrementAndGet();
                          Thread.yield();
                        }
                      }
                      if (r.status() != OfferStatus.ACCEPTED) {
                        throw new AssertionError("item " + item + ": " + r);
                      }
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                },
                "app-producer-" + t);
        thread.start();
        threads.add(thread);
      }
      go.countDown();
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
      }
      assertThat(failures).isEmpty();
      assertThat(running.awaitQuiescence(Duration.ofSeconds(60)))
          .as(running.snapshot().render())
          .isTrue();
      // Quiet means every accepted item was processed already, not merely that it will be.
      for (int t = 0; t < 2 * THREADS_PER_KIND; t++) {
        assertThat(collector.received(t))
            .as("items of producer %d at quiescence\n%s", t, running.snapshot().render())
            .isEqualTo(ITEMS);
      }
    } finally {
      report = running.stop(Duration.ofSeconds(10));
    }
    GraphSnapshot after = running.snapshot();
    String context = after.render();

    assertThat(collector.violations()).as(context).isEmpty();
    for (int t = 0; t < 2 * THREADS_PER_KIND; t++) {
      assertThat(collector.received(t)).as("items of producer %d\n%s", t, context).isEqualTo(ITEMS);
    }
    EdgeStats offered = after.edge("ingress:offers->collector.in");
    EdgeStats put = after.edge("ingress:puts->collector.in");
    long perKind = (long) THREADS_PER_KIND * ITEMS;
    assertThat(offered.accepted()).as(context).isEqualTo(perKind);
    assertThat(offered.blocked())
        .as("the edge counted exactly the BLOCKED results the offering threads saw\n%s", context)
        .isEqualTo(blockedSeen.get());
    assertThat(put.accepted()).as(context).isEqualTo(perKind);
    assertThat(offered.delivered() + put.delivered()).as(context).isEqualTo(2 * perKind);
    assertThat(report.timedOut()).as(context).isFalse();

    Ingress<Item> offers = running.ingress("offers", Item.class);
    Ingress<Item> puts = running.ingress("puts", Item.class);
    assertThat(offers.offer(new Item(0, -1)).status()).isEqualTo(OfferStatus.CLOSED);
    assertThat(offers.offerControl(new Item(0, -2)).status()).isEqualTo(OfferStatus.CLOSED);
    assertThat(puts.put(new Item(0, -3), Duration.ofSeconds(10)).status())
        .isEqualTo(OfferStatus.CLOSED);
    GraphSnapshot closed = running.snapshot();
    assertThat(closed.edge("ingress:offers->collector.in").closed()).isEqualTo(2);
    assertThat(closed.edge("ingress:puts->collector.in").closed()).isEqualTo(1);
    assertThat(dead.count()).as(dead.describe()).isZero();
    Ledger.assertClosed(graph, closed, report, dead, 0);
  }

  @WorkerCounts
  void stop_withCallersWaitingForRoom_answersClosedToEachAndDrainsWhatWasAccepted(int workers)
      throws Exception {
    Collector collector = new Collector(2 * THREADS_PER_KIND, 0);
    Graph graph = graph("fan-in-stop-" + workers, collector);
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder().workers(workers).deadLetters(dead).build().start(graph);
    AtomicLongArray accepted = new AtomicLongArray(2 * THREADS_PER_KIND);
    List<Thread> threads = new ArrayList<>();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    ShutdownReport report;
    try {
      collector.gate().pause(); // nothing drains: the ingress edges fill and the callers wait
      Ingress<Item> offers = running.ingress("offers", Item.class);
      Ingress<Item> puts = running.ingress("puts", Item.class);
      for (int t = 0; t < 2 * THREADS_PER_KIND; t++) {
        int producer = t;
        boolean viaPut = t >= THREADS_PER_KIND;
        Thread thread =
            new Thread(
                () -> {
                  try {
                    for (long seq = 0; ; seq++) {
                      Item item = new Item(producer, seq);
                      OfferResult r;
                      if (viaPut) {
                        r = puts.put(item, Duration.ofSeconds(60));
                      } else {
                        while ((r = offers.offer(item)).status() == OfferStatus.BLOCKED) {
                          LockSupport.parkNanos(100_000); // an application backing off
                        }
                      }
                      if (r.status() == OfferStatus.CLOSED) {
                        return;
                      }
                      if (r.status() != OfferStatus.ACCEPTED) {
                        failures.add(item + ": " + r);
                        return;
                      }
                      accepted.incrementAndGet(producer);
                    }
                  } catch (InterruptedException e) {
                    failures.add("interrupted");
                  }
                },
                "app-producer-" + t);
        thread.start();
        threads.add(thread);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  threads.subList(THREADS_PER_KIND, threads.size()).stream()
                          .allMatch(t -> t.getState() == Thread.State.TIMED_WAITING)
                      && running.snapshot().edge("ingress:puts->collector.in").depth() == 64);

      CompletableFuture<ShutdownReport> stopping =
          CompletableFuture.supplyAsync(() -> running.stop(Duration.ofSeconds(30)));
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(thread.isAlive())
            .as("%s got CLOSED and returned although nothing drained yet", thread.getName())
            .isFalse();
      }
      collector.gate().resume(); // now let the accepted messages drain
      report = stopping.get(60, TimeUnit.SECONDS);
    } finally {
      collector.gate().resume();
      running.stop(Duration.ofSeconds(10));
    }
    GraphSnapshot after = running.snapshot();
    String context = after.render() + report.render();

    assertThat(failures).as(context).isEmpty();
    assertThat(report.timedOut()).as(context).isFalse();
    assertThat(collector.violations()).as(context).isEmpty();
    long total = 0;
    for (int t = 0; t < 2 * THREADS_PER_KIND; t++) {
      assertThat(collector.received(t))
          .as("producer %d: everything accepted before the stop was delivered\n%s", t, context)
          .isEqualTo(accepted.get(t));
      total += accepted.get(t);
    }
    assertThat(total).as("the edges were full when the graph stopped").isGreaterThanOrEqualTo(128);
    assertThat(
            after.edge("ingress:offers->collector.in").closed()
                + after.edge("ingress:puts->collector.in").closed())
        .as("one CLOSED answer per calling thread\n%s", context)
        .isEqualTo(2 * THREADS_PER_KIND);
    assertThat(dead.count()).as(dead.describe()).isZero();
    Ledger.assertClosed(graph, after, report, dead, 0);
  }

  private static Graph graph(String name, Collector collector) {
    return Graph.builder(name)
        .add("collector", collector)
        .ingress("offers", "collector.in", EdgeSpec.blocking(64))
        .ingress("puts", "collector.in", EdgeSpec.blocking(64))
        .build();
  }

  /** One item of one producing thread. */
  record Item(int producer, long seq) {}

  /** Checks that each producer's items arrive in order, without gaps or duplicates. */
  static final class Collector implements Node {
    private final PortSpec<Item> in = PortSpec.of("in", Item.class);
    private final long[] next;
    private final long workNanos;
    private final AtomicLongArray received;
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private volatile InputGate gate;

    Collector(int producers, long workNanos) {
      this.next = new long[producers];
      this.received = new AtomicLongArray(producers);
      this.workNanos = workNanos;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onStart(NodeContext ctx) {
      gate = ctx.inputGate();
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      Item item = in.cast(message).payload();
      if (item.seq() != next[item.producer()]) {
        violations.add(
            "producer "
                + item.producer()
                + ": got "
                + item.seq()
                + ", expected "
                + next[item.producer()]);
      }
      next[item.producer()] = item.seq() + 1;
      received.incrementAndGet(item.producer());
      if (workNanos > 0) {
        BusyWork.spin(workNanos);
      }
    }

    InputGate gate() {
      return gate;
    }

    long received(int producer) {
      return received.get(producer);
    }

    List<String> violations() {
      synchronized (violations) {
        return List.copyOf(violations);
      }
    }
  }
}
