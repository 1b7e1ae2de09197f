package dev.weir.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.scheduler.Priority;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The single-worker queues: every {@link ReadyQueuesTest} again, with the test thread as the
 * worker, and then the hand-over from other threads (inbox, wake-up, quiet, batches), with real
 * threads. A lost wake-up shows as a {@code take} that returns null after its 10 s wait.
 */
class OwnedReadyQueuesTest extends ReadyQueuesTest {

  private static final long WAIT = TimeUnit.SECONDS.toNanos(10);
  private static final int NORMAL = Priority.NORMAL.ordinal();

  @Override
  ReadyQueues queues(EnumMap<Priority, Integer> weights, long seed, double perturbation) {
    ReadyQueues queues =
        ReadyQueues.create(1, weights, seed, perturbation, RuntimeMetrics.DISABLED);
    queues.bindWorker(Thread.currentThread());
    return queues;
  }

  private static Thread start(Runnable body) {
    Thread t = new Thread(body, "pusher");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void take_pushFromAnotherThreadWhileWaiting_wakesTheWorkerEveryTime() throws Exception {
    ReadyQueues queues = queues();
    NodeCell cell = cell("a");

    for (int i = 0; i < 2_000; i++) {
      long started = System.nanoTime();
      CountDownLatch go = new CountDownLatch(1);
      Thread pusher =
          start(
              () -> {
                awaitQuietly(go);
                queues.push(cell, NORMAL);
              });
      go.countDown(); // the push races with the park below, on purpose
      NodeCell taken = queues.take(WAIT);
      queues.activationDone();
      pusher.join();

      assertThat(taken).as("take after push #%d", i).isSameAs(cell);
      // A lost wake-up still returns the cell, but only when the timed park runs out: a liveness
      // bound far above any scheduling delay, not a speed target.
      assertThat(System.nanoTime() - started)
          .as("take after push #%d returned only after its wait ran out: a lost wake-up", i)
          .isLessThan(WAIT / 2);
    }
  }

  /**
   * Regression: a push's unpark whose cell the worker had already taken (it drained the inbox
   * before parking) left a permit, the next take's park returned at once, and take answered null
   * long before its wait was over. Seen once in 2,000 rounds of the test above, in CI. The permit
   * is planted directly: a pusher unparks only a worker that announced it parks.
   */
  @Test
  void take_leftoverUnparkPermit_stillWaitsOutItsTime() throws Exception {
    ReadyQueues queues = queues();
    NodeCell cell = cell("a");
    start(() -> queues.push(cell, NORMAL)).join();
    assertThat(queues.take(WAIT)).isSameAs(cell);
    queues.activationDone();
    LockSupport.unpark(Thread.currentThread()); // a permit left over, as from a late unpark

    long wait = TimeUnit.MILLISECONDS.toNanos(200);
    long started = System.nanoTime();
    NodeCell none = queues.take(wait);

    assertThat(none).isNull();
    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(wait);
  }

  @Test
  void isQuiet_pushFromAnotherThreadNotYetTaken_isFalseAndCountedInDepths() throws Exception {
    ReadyQueues queues = queues();
    NodeCell cell = cell("a");

    start(() -> queues.push(cell, NORMAL)).join();

    assertThat(queues.isQuiet()).isFalse();
    assertThat(queues.awaitQuiet(0)).isFalse();
    assertThat(queues.depths()).containsEntry(Priority.NORMAL, 1);
    assertThat(take(queues)).isSameAs(cell);
    assertThat(queues.take(0)).isNull();
    assertThat(queues.isQuiet()).isTrue();
    assertThat(queues.depths()).containsEntry(Priority.NORMAL, 0);
  }

  @Test
  void depths_afterTheWorkerTookInHandedOverPushes_countWhatIsStillQueued() throws Exception {
    ReadyQueues queues = queues();
    NodeCell a = cell("a");
    NodeCell b = cell("b");
    start(() -> queues.push(a, NORMAL)).join();
    start(() -> queues.push(b, Priority.LOW.ordinal())).join();

    assertThat(takeRunning(queues)).isSameAs(a); // both moved from the inbox; b still queued

    assertThat(queues.depths())
        .containsEntry(Priority.NORMAL, 0)
        .containsEntry(Priority.LOW, 1)
        .containsEntry(Priority.HIGH, 0);
  }

  @Test
  void hand_claimsTheUnparkOnlyAfterTheWorkerAnnouncedAPark() {
    OwnedReadyQueues queues = (OwnedReadyQueues) queues();
    NodeCell a = cell("a");

    assertThat(queues.hand(new OwnedReadyQueues.Push(a, NORMAL, 0))).as("worker busy").isFalse();
    assertThat(queues.announcePark()).as("inbox holds a push: do not park").isFalse();
    assertThat(queues.hand(new OwnedReadyQueues.Push(a, NORMAL, 0))).as("announced").isTrue();
    assertThat(queues.hand(new OwnedReadyQueues.Push(a, NORMAL, 0)))
        .as("claimed once already")
        .isFalse();
  }

  @Test
  void isQuiet_whileTheWorkerRunsAnActivation_isFalseUntilItFindsNoWork() throws Exception {
    ReadyQueues queues = queues();
    NodeCell cell = cell("a");
    queues.push(cell, NORMAL);

    assertThat(takeRunning(queues)).isSameAs(cell);
    assertThat(queues.isQuiet()).isFalse();
    queues.activationDone();
    assertThat(queues.take(0)).isNull();

    assertThat(queues.isQuiet()).isTrue();
  }

  @Test
  void pushTogether_fromAnotherThread_theWorkerSeesTheWholeBatchOrNone() throws Exception {
    ReadyQueues queues = queues();
    List<NodeCell> cells = List.of(cell("a"), cell("b"), cell("c"));
    AtomicBoolean done = new AtomicBoolean();
    Thread pusher =
        start(
            () -> {
              for (int i = 0; i < 2_000; i++) {
                queues.pushTogether(() -> cells.forEach(c -> queues.push(c, NORMAL)));
              }
              done.set(true);
            });

    int groups = 0;
    while (!done.get() || !queues.isQuiet()) {
      NodeCell first = queues.take(TimeUnit.MILLISECONDS.toNanos(1));
      queues.activationDone();
      if (first == null) {
        continue;
      }
      List<String> group = new ArrayList<>(List.of(first.name));
      NodeCell next;
      while ((next = take(queues)) != null) {
        group.add(next.name);
      }
      // The worker took in at least one whole batch; later batches may re-queue taken cells.
      assertThat(group).as("group %d", groups).hasSizeGreaterThanOrEqualTo(3);
      assertThat(group.subList(0, 3))
          .as("group %d", groups)
          .containsExactlyInAnyOrder("a", "b", "c");
      groups++;
    }
    pusher.join();
    assertThat(groups).isPositive();
  }

  @Test
  void awaitQuiet_fromAnotherThread_returnsOnceTheWorkerHasTakenEverything() throws Exception {
    ReadyQueues queues = queues();
    NodeCell cell = cell("a");
    queues.push(cell, NORMAL);
    CompletableFuture<Boolean> quiet = new CompletableFuture<>();
    CountDownLatch waiting = new CountDownLatch(1);
    start(
        () -> {
          try {
            waiting.countDown();
            quiet.complete(queues.awaitQuiet(WAIT));
          } catch (InterruptedException e) {
            quiet.completeExceptionally(e);
          }
        });
    waiting.await();

    assertThat(take(queues)).isSameAs(cell);
    assertThat(queues.take(0)).isNull();

    assertThat(quiet.get(20, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void take_closedFromAnotherThread_returnsNullWithoutWaitingOut() throws Exception {
    ReadyQueues queues = queues();
    start(queues::close);

    long started = System.nanoTime();
    NodeCell cell = queues.take(WAIT);

    assertThat(cell).isNull();
    assertThat(System.nanoTime() - started).isLessThan(WAIT);
  }

  @Test
  void pushTogether_pushesThrowPartWay_theWorkerStillGetsWhatWasPushed() throws Exception {
    ReadyQueues queues = queues();
    NodeCell a = cell("a");
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    start(
            () -> {
              try {
                queues.pushTogether(
                    () -> {
                      queues.push(a, NORMAL);
                      throw new IllegalStateException("planted");
                    });
              } catch (IllegalStateException e) {
                thrown.complete(e);
              }
            })
        .join();

    assertThat(thrown.get()).hasMessage("planted");
    assertThat(queues.take(WAIT)).isSameAs(a);
  }

  @Test
  void isQuiet_afterTheWorkerExitsBetweenActivations_isTrue() throws Exception {
    ReadyQueues queues = queues();
    NodeCell a = cell("a");
    queues.push(a, NORMAL);
    assertThat(takeRunning(queues)).isSameAs(a);
    queues.activationDone();
    assertThat(queues.isQuiet()).isFalse();

    queues.workerExiting();

    assertThat(queues.isQuiet()).isTrue();
  }

  @Test
  void awaitQuiet_closedWhileWaiting_returnsFalse() throws Exception {
    ReadyQueues queues = queues();
    start(() -> queues.push(cell("a"), NORMAL)).join();
    start(queues::close);

    assertThat(queues.awaitQuiet(WAIT)).isFalse();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
