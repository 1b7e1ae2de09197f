package dev.weir.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weir.core.Clock;
import dev.weir.core.Node;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.Priority;
import dev.weir.testkit.Seeds;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ready queues without workers: FIFO within a band, weighted service across bands, fallback,
 * deduplication, lifting to CONTROL and the seeded pick perturbation. Cells are detached (no
 * runtime): the queues only touch their queue membership.
 */
class ReadyQueuesTest {

  private static final int CONTROL = Priority.CONTROL.ordinal();
  private static final int HIGH = Priority.HIGH.ordinal();
  private static final int NORMAL = Priority.NORMAL.ordinal();
  private static final int LOW = Priority.LOW.ordinal();

  /** The seed of randomized tests: {@code -Dweir.seed=N} or a fresh one. */
  private static long seed() {
    Long fixed = Long.getLong("weir.seed");
    return fixed != null ? fixed : new SplittableRandom().nextLong();
  }

  private static String replay(long seed) {
    return Seeds.replayHint(seed);
  }

  static EnumMap<Priority, Integer> weights(int control, int high, int normal, int low) {
    EnumMap<Priority, Integer> w = new EnumMap<>(Priority.class);
    w.put(Priority.CONTROL, control);
    w.put(Priority.HIGH, high);
    w.put(Priority.NORMAL, normal);
    w.put(Priority.LOW, low);
    return w;
  }

  ReadyQueues queues() {
    return queues(weights(8, 4, 2, 1), 0, 0);
  }

  /**
   * The one place that builds queues (internal API: keep changes to it here). These are the locked
   * queues of a multi-worker graph; {@link OwnedReadyQueuesTest} runs every test here again on the
   * single-worker queues.
   */
  ReadyQueues queues(EnumMap<Priority, Integer> weights, long seed, double perturbation) {
    return ReadyQueues.create(2, weights, seed, perturbation, RuntimeMetrics.DISABLED);
  }

  private static final RuntimeConfig CONFIG =
      new RuntimeConfig(
          1,
          Clock.system(),
          weights(8, 4, 2, 1),
          64,
          null,
          null,
          0,
          0,
          null,
          Map.of(),
          Map.of(),
          ErrorPolicy.CONTINUE,
          Duration.ofSeconds(1));

  private static final Node NOOP = (ctx, input, message) -> {};

  /** A cell that is never run: the queues only read and write its queue membership. */
  static NodeCell cell(String name) {
    return new NodeCell(0, name, NOOP, null, CONFIG);
  }

  private static List<NodeCell> cells(int n) {
    List<NodeCell> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      cells.add(cell("n" + i));
    }
    return cells;
  }

  /** Takes without waiting; the activation counts as running until {@code activationDone}. */
  static @Nullable NodeCell takeRunning(ReadyQueues queues) throws InterruptedException {
    return queues.take(0);
  }

  /** Takes without waiting and ends the activation at once, as a worker would. */
  static @Nullable NodeCell take(ReadyQueues queues) throws InterruptedException {
    NodeCell cell = takeRunning(queues);
    if (cell != null) {
      queues.activationDone();
    }
    return cell;
  }

  private static List<String> drain(ReadyQueues queues) throws InterruptedException {
    List<String> names = new ArrayList<>();
    NodeCell cell;
    while ((cell = take(queues)) != null) {
      names.add(cell.name);
    }
    return names;
  }

  @Test
  void take_nothingQueued_returnsNullAndIsQuiet() throws InterruptedException {
    ReadyQueues queues = queues();

    assertThat(takeRunning(queues)).isNull();
    assertThat(queues.isQuiet()).isTrue();
    assertThat(queues.awaitQuiet(0)).isTrue();
  }

  @Test
  void isQuietAndAwaitQuiet_whileACellIsQueuedOrRunning_areFalse_afterwardTrue()
      throws InterruptedException {
    ReadyQueues queues = queues();
    NodeCell a = cell("a");
    long shortWait = TimeUnit.MILLISECONDS.toNanos(20);

    queues.push(a, NORMAL);
    assertThat(queues.isQuiet()).as("queued").isFalse();
    assertThat(queues.awaitQuiet(shortWait)).as("queued").isFalse();
    assertThat(takeRunning(queues)).isSameAs(a);
    assertThat(queues.isQuiet()).as("running").isFalse();
    assertThat(queues.awaitQuiet(shortWait)).as("running").isFalse();
    queues.activationDone();
    assertThat(takeRunning(queues)).isNull();

    assertThat(queues.isQuiet()).isTrue();
    assertThat(queues.awaitQuiet(shortWait)).isTrue();
  }

  @Test
  @Timeout(30) // a close that does not wake the taker would otherwise hang the build
  void take_withoutTimeLimit_returnsNullWhenClosedWhileWaiting() throws Exception {
    ReadyQueues queues = queues();
    Thread taker = Thread.currentThread(); // the bound worker of the single-worker queues
    AtomicBoolean returned = new AtomicBoolean();
    Thread closer =
        new Thread(
            () -> {
              // Close only once the taker waits, so that close has to wake it.
              while (taker.getState() != Thread.State.WAITING && !returned.get()) {
                Thread.onSpinWait();
              }
              queues.close();
            },
            "closer");
    closer.setDaemon(true);
    closer.start();

    NodeCell taken = queues.take(-1);
    returned.set(true);

    assertThat(taken).isNull();
    closer.join();
  }

  @Test
  void take_cellsQueuedInOneBand_runInQueueOrderRoundAfterRound() throws InterruptedException {
    ReadyQueues queues = queues();
    NodeCell a = cell("a");
    NodeCell b = cell("b");
    NodeCell c = cell("c");
    queues.push(a, NORMAL);
    queues.push(b, NORMAL);
    queues.push(c, NORMAL);

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      NodeCell next = take(queues);
      assertThat(next).isNotNull();
      order.add(next.name);
      queues.push(next, NORMAL);
    }

    for (int i = 0; i < 300; i += 3) {
      assertThat(order.subList(i, i + 3)).containsExactly("a", "b", "c");
    }
  }

  @Test
  void take_fourBusyBands_servesThemByDefaultWeights() throws InterruptedException {
    ReadyQueues queues = queues();
    Map<NodeCell, Integer> bandOf = new HashMap<>();
    for (int band = 0; band < 4; band++) {
      for (int k = 0; k < 3; k++) {
        NodeCell c = cell("b" + band + "-" + k);
        bandOf.put(c, band);
        queues.push(c, band);
      }
    }

    long[] perBand = new long[4];
    for (int i = 0; i < 15_000; i++) {
      NodeCell next = takeRunning(queues);
      assertThat(next).isNotNull();
      int band = bandOf.get(next);
      perBand[band]++;
      queues.push(next, band);
      queues.activationDone();
    }

    assertThat(perBand[CONTROL]).isCloseTo(8_000, within(15L));
    assertThat(perBand[HIGH]).isCloseTo(4_000, within(15L));
    assertThat(perBand[NORMAL]).isCloseTo(2_000, within(15L));
    assertThat(perBand[LOW]).isCloseTo(1_000, within(15L));
  }

  @Test
  void take_customWeights_servesThemByThoseWeights() throws InterruptedException {
    ReadyQueues queues = queues(weights(1, 1, 3, 5), 0, 0);
    NodeCell[] byBand = {cell("c"), cell("h"), cell("n"), cell("l")};
    for (int band = 0; band < 4; band++) {
      queues.push(byBand[band], band);
    }

    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      NodeCell next = takeRunning(queues);
      assertThat(next).isNotNull();
      counts.merge(next.name, 1, Integer::sum);
      queues.push(next, List.of(byBand).indexOf(next));
      queues.activationDone();
    }

    assertThat(counts.get("c")).isCloseTo(1_000, within(15));
    assertThat(counts.get("h")).isCloseTo(1_000, within(15));
    assertThat(counts.get("n")).isCloseTo(3_000, within(15));
    assertThat(counts.get("l")).isCloseTo(5_000, within(15));
  }

  @Test
  void take_onlyLowQueued_picksLowEveryTime() throws InterruptedException {
    ReadyQueues queues = queues();
    NodeCell low = cell("low");
    queues.push(low, LOW);

    for (int i = 0; i < 1_000; i++) {
      assertThat(take(queues)).isSameAs(low);
      queues.push(low, LOW);
    }
  }

  @Test
  void take_bandsEmptyAndRefill_fallsBackToWhatIsQueuedThenResumesRatio()
      throws InterruptedException {
    ReadyQueues queues = queues();
    NodeCell high = cell("high");
    NodeCell low = cell("low");
    queues.push(high, HIGH);
    queues.push(low, LOW);

    int highRuns = 0;
    for (int i = 0; i < 500; i++) {
      NodeCell next = take(queues);
      assertThat(next).isNotNull();
      if (next == high) {
        highRuns++;
        queues.push(high, HIGH);
      } else {
        queues.push(low, LOW);
      }
    }
    assertThat(highRuns).isCloseTo(400, within(2));

    // HIGH goes quiet (taken and not queued again): LOW is served alone, every time.
    NodeCell next;
    do {
      next = take(queues);
      if (next == low) {
        queues.push(low, LOW);
      }
    } while (next != high);
    for (int i = 0; i < 100; i++) {
      assertThat(take(queues)).isSameAs(low);
      queues.push(low, LOW);
    }

    // HIGH comes back: the ratio resumes, with no burst of credit for either band.
    queues.push(high, HIGH);
    highRuns = 0;
    for (int i = 0; i < 50; i++) {
      next = take(queues);
      assertThat(next).isNotNull();
      queues.push(next, next == high ? HIGH : LOW);
      highRuns += next == high ? 1 : 0;
    }
    assertThat(highRuns).isCloseTo(40, within(2));
  }

  @Test
  void push_cellAlreadyQueued_isQueuedOnce() throws InterruptedException {
    ReadyQueues queues = queues();
    NodeCell a = cell("a");
    NodeCell b = cell("b");

    queues.push(a, NORMAL);
    queues.push(a, NORMAL);
    queues.push(b, NORMAL);
    queues.push(a, NORMAL);

    assertThat(queues.depths()).containsEntry(Priority.NORMAL, 2);
    assertThat(drain(queues)).containsExactly("a", "b");
  }

  @Test
  void push_cellQueuedAgainWhileQueued_keepsItsPlaceInLine() throws InterruptedException {
    ReadyQueues queues = queues();
    NodeCell a = cell("a");
    NodeCell b = cell("b");
    NodeCell c = cell("c");
    queues.push(a, NORMAL);
    queues.push(b, NORMAL);
    queues.push(c, NORMAL);

    queues.push(b, NORMAL);
    queues.push(a, LOW);

    assertThat(queues.depths()).containsEntry(Priority.NORMAL, 3).containsEntry(Priority.LOW, 0);
    assertThat(drain(queues)).containsExactly("a", "b", "c");
  }

  @Test
  void push_controlForCellQueuedInNormal_liftsItToControlAndRunsItOnce()
      throws InterruptedException {
    ReadyQueues queues = queues();
    NodeCell a = cell("a");
    NodeCell b = cell("b");
    queues.push(a, NORMAL);
    queues.push(b, NORMAL);

    queues.push(a, CONTROL);

    assertThat(queues.depths())
        .containsEntry(Priority.CONTROL, 1)
        .containsEntry(Priority.NORMAL, 1);
    assertThat(drain(queues)).containsExactly("a", "b");
    assertThat(queues.isQuiet()).isTrue();
  }

  /**
   * Regression: a lift to CONTROL used to leave the cell's old entry in its band. Once the cell had
   * run from CONTROL and was queued in its band again, that old entry looked live again: the cell
   * jumped ahead of cells queued before it, and was counted twice in the band's depth.
   */
  @Test
  void push_cellRequeuedAfterRunningFromALift_goesToTheBackOfItsBand() throws InterruptedException {
    ReadyQueues queues = queues();
    NodeCell a = cell("a");
    NodeCell b = cell("b");
    NodeCell c = cell("c");
    queues.push(a, NORMAL);
    queues.push(b, NORMAL);
    queues.push(a, CONTROL);
    assertThat(take(queues)).isSameAs(a);

    queues.push(c, NORMAL);
    queues.push(a, NORMAL);

    assertThat(queues.depths()).containsEntry(Priority.NORMAL, 3);
    assertThat(drain(queues)).containsExactly("b", "c", "a");
  }

  @Test
  void take_withPerturbation_reordersButRunsEachQueuedCellExactlyOnce()
      throws InterruptedException {
    long seed = seed();
    ReadyQueues queues = queues(weights(8, 4, 2, 1), seed, 0.5);
    List<NodeCell> cells = cells(40);
    List<String> fifo = new ArrayList<>();
    for (NodeCell c : cells) {
      queues.push(c, NORMAL);
      fifo.add(c.name);
    }

    List<String> order = drain(queues);

    assertThat(order).as(replay(seed)).containsExactlyInAnyOrderElementsOf(fifo);
    assertThat(order).as(replay(seed)).isNotEqualTo(fifo);
  }

  @Test
  void take_samePerturbationSeed_givesTheSameOrder() throws InterruptedException {
    long seed = seed();
    List<List<String>> orders = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      ReadyQueues queues = queues(weights(8, 4, 2, 1), seed, 0.5);
      for (NodeCell c : cells(40)) {
        queues.push(c, NORMAL);
      }
      orders.add(drain(queues));
    }

    assertThat(orders.get(1)).as(replay(seed)).isEqualTo(orders.get(0));
  }

  @Test
  void take_differentPerturbationSeeds_giveDifferentOrders() throws InterruptedException {
    long seed = seed();
    List<List<String>> orders = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      ReadyQueues queues = queues(weights(8, 4, 2, 1), seed + run, 0.5);
      for (NodeCell c : cells(40)) {
        queues.push(c, NORMAL);
      }
      orders.add(drain(queues));
    }

    assertThat(orders.get(1)).as(replay(seed)).isNotEqualTo(orders.get(0));
  }

  /**
   * Random pushes, lifts and takes against a model: per band a FIFO list of queued cells. Every
   * take must return the head of its band (or, with perturbation, one of the first two), each
   * queued cell exactly once, and the depths must match the model after every step.
   */
  @Test
  void pushAndTake_randomOperations_matchFifoModelWithoutLossOrDuplicates()
      throws InterruptedException {
    long seed = seed();
    for (double perturbation : new double[] {0, 0.5}) {
      SplittableRandom random = new SplittableRandom(seed);
      ReadyQueues queues = queues(weights(8, 4, 2, 1), seed, perturbation);
      List<NodeCell> cells = cells(12);
      List<ArrayDeque<NodeCell>> model = new ArrayList<>();
      for (int band = 0; band < 4; band++) {
        model.add(new ArrayDeque<>());
      }
      Map<NodeCell, Integer> queuedAt = new HashMap<>();
      String context = "perturbation " + perturbation + ", " + replay(seed);

      for (int step = 0; step < 20_000; step++) {
        if (random.nextInt(100) < 55) {
          NodeCell c = cells.get(random.nextInt(cells.size()));
          int band = random.nextInt(100) < 15 ? CONTROL : 1 + random.nextInt(3);
          queues.push(c, band);
          Integer at = queuedAt.get(c);
          if (at == null || band < at) {
            if (at != null) {
              model.get(at).remove(c);
            }
            model.get(band).addLast(c);
            queuedAt.put(c, band);
          }
        } else {
          NodeCell next = take(queues);
          if (next == null) {
            assertThat(queuedAt).as(context).isEmpty();
            continue;
          }
          Integer band = queuedAt.remove(next);
          assertThat(band)
              .as("%s: %s taken but not queued (step %d)", context, next, step)
              .isNotNull();
          ArrayDeque<NodeCell> line = model.get(band);
          List<NodeCell> front = new ArrayList<>(line).subList(0, Math.min(2, line.size()));
          if (perturbation == 0) {
            assertThat(line.peekFirst())
                .as("%s: FIFO in band %d (step %d)", context, band, step)
                .isSameAs(next);
          } else {
            assertThat(front)
                .as("%s: near the front of band %d (step %d)", context, band, step)
                .contains(next);
          }
          line.remove(next);
        }
        for (Priority p : Priority.values()) {
          assertThat(queues.depths().get(p))
              .as("%s: depth of %s (step %d)", context, p, step)
              .isEqualTo(model.get(p.ordinal()).size());
        }
      }
      List<String> rest = drain(queues);
      assertThat(rest).as(context).doesNotHaveDuplicates().hasSize(queuedAt.size());
    }
  }
}
