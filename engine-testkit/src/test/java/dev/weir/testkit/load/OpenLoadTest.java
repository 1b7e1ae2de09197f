package dev.weir.testkit.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.scheduler.VirtualClock;
import dev.weir.testkit.load.LoadOperation.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The open model's arithmetic on a virtual clock: waiting for an intended start advances the clock,
 * and an operation "takes" time by advancing it, so every number here is exact.
 */
class OpenLoadTest {

  private static final long MS = 1_000_000;

  private final VirtualClock clock = VirtualClock.at(5_000 * MS);

  @Test
  void run_startsEachOperationAtItsIntendedTime() {
    List<Long> intended = new ArrayList<>();
    List<Long> actual = new ArrayList<>();
    long start = clock.nanoTime();
    LoadResult result =
        OpenLoad.of(LoadProfile.constant(1000, Duration.ofMillis(10)))
            .virtualClock(clock)
            .run(
                (seq, intendedStart) -> {
                  intended.add(intendedStart - start);
                  actual.add(clock.nanoTime() - start);
                  return Status.DONE;
                });
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < 10; i++) {
      expected.add(i * MS);
    }
    assertThat(intended).isEqualTo(expected);
    assertThat(actual).isEqualTo(expected);
    assertThat(result.intended()).isEqualTo(10);
    assertThat(result.completed()).isEqualTo(10);
    assertThat(result.late()).isZero();
    assertThat(result.latencyAt(100)).isZero();
    assertThat(result.balanced()).isTrue();
    assertThat(result.nothingLost()).isTrue();
  }

  /**
   * The coordinated-omission case. At 1,000 operations per second, each taking 100 µs, operation
   * 100 stalls for 200 ms. Every operation intended during the stall (about 200 of them) starts
   * late and must show the wait in its latency; a recorder timing each operation from its actual
   * start (the service time, what a load generator that waits for each answer reports) sees one
   * slow operation and a p99 of 100 µs.
   */
  @Test
  void stall_showsInTheLatencyOfEveryOperationIntendedDuringIt_notInTheServiceTime() {
    LoadResult result =
        OpenLoad.of(LoadProfile.constant(1000, Duration.ofSeconds(1)))
            .virtualClock(clock)
            .run(
                (seq, intendedStart) -> {
                  clock.advance(Duration.ofNanos(seq == 100 ? 200 * MS : MS / 10));
                  return Status.DONE;
                });

    assertThat(result.balanced()).isTrue();
    assertThat(result.completed()).isEqualTo(1000);
    // Operations 101..300 were intended during the stall (101 ms .. 300 ms); each started late.
    assertThat(result.late()).isGreaterThanOrEqualTo(200);
    assertThat(result.maxStartLag()).isGreaterThanOrEqualTo(Duration.ofMillis(199));
    Histogram corrected = result.latency();
    assertThat(above(corrected, MS)).isGreaterThanOrEqualTo(200);
    assertThat(result.latencyAt(99)).isGreaterThan(Duration.ofMillis(150));
    assertThat(result.latencyAt(90)).isGreaterThan(Duration.ofMillis(50));

    // The uncorrected view of the same run: one slow operation, the rest 100 µs.
    Histogram uncorrected = result.serviceTime();
    assertThat(uncorrected.getTotalCount()).isEqualTo(1000);
    assertThat(above(uncorrected, MS)).isEqualTo(1);
    assertThat(result.serviceTimeAt(99)).isLessThan(Duration.ofMillis(1));
    assertThat(result.serviceTimeAt(100)).isGreaterThanOrEqualTo(Duration.ofMillis(199));
  }

  @Test
  void farBehind_countsWhatItNeverStarted() {
    // each operation takes 10 ms at 1000/s for 100 ms, no drain: 10 start, 90 never do
    LoadResult result =
        OpenLoad.of(LoadProfile.constant(1000, Duration.ofMillis(100)))
            .virtualClock(clock)
            .drain(Duration.ZERO)
            .run(
                (seq, intendedStart) -> {
                  clock.advance(Duration.ofMillis(10));
                  return Status.DONE;
                });
    assertThat(result.intended()).isEqualTo(100);
    assertThat(result.started()).isEqualTo(10);
    assertThat(result.notStarted()).isEqualTo(90);
    assertThat(result.late()).isEqualTo(9);
    assertThat(result.balanced()).isTrue();
    assertThat(result.nothingLost()).isFalse();
  }

  @Test
  void pendingFailedAndThrowing_areEachCountedOnce() {
    OpenLoad load =
        OpenLoad.of(LoadProfile.constant(1000, Duration.ofMillis(100)))
            .virtualClock(clock)
            .drain(Duration.ofMillis(5));
    IllegalStateException boom = new IllegalStateException("boom");
    LoadResult result =
        load.run(
            (seq, intendedStart) -> {
              return switch ((int) (seq % 5)) {
                case 0 -> Status.DONE;
                case 1 -> {
                  load.complete(intendedStart); // completed downstream at once
                  yield Status.PENDING;
                }
                case 2 -> Status.PENDING; // never completed: lost
                case 3 -> Status.FAILED;
                default -> throw boom;
              };
            });
    assertThat(result.intended()).isEqualTo(100);
    assertThat(result.completed()).isEqualTo(40);
    assertThat(result.lost()).isEqualTo(20);
    assertThat(result.failed()).isEqualTo(40);
    assertThat(result.notStarted()).isZero();
    assertThat(result.firstFailure()).isSameAs(boom);
    assertThat(result.balanced()).isTrue();
    assertThat(result.nothingLost()).isFalse();
    assertThat(result.summary()).contains("lost=20", "failed=40", "completed=40");
  }

  /** A planted bug: a sink that completes every operation twice unbalances the accounting. */
  @Test
  void completedTwice_isCaughtAsDuplicated() {
    OpenLoad load =
        OpenLoad.of(LoadProfile.constant(1000, Duration.ofMillis(10))).virtualClock(clock);
    LoadResult result =
        load.run(
            (seq, intendedStart) -> {
              load.complete(intendedStart);
              load.complete(intendedStart);
              return Status.PENDING;
            });
    assertThat(result.duplicated()).isEqualTo(10);
    assertThat(result.balanced()).isFalse();
    assertThat(result.nothingLost()).isFalse();
    assertThat(result.summary()).contains("DUPLICATED=10");
  }

  @Test
  void intervals_reportEachSecondOfTheRun() {
    LoadResult result =
        OpenLoad.of(LoadProfile.step(100, 150, Duration.ofSeconds(1), 3))
            .virtualClock(clock)
            .interval(Duration.ofSeconds(1))
            .run((seq, intendedStart) -> Status.DONE);
    assertThat(result.intervals()).hasSize(3);
    assertThat(result.intervals())
        .extracting(LoadInterval::started)
        .containsExactly(100L, 250L, 400L);
    assertThat(result.intervals())
        .extracting(LoadInterval::completed)
        .containsExactly(100L, 250L, 400L);
    assertThat(result.intervals())
        .extracting(LoadInterval::targetRate)
        .containsExactly(100.0, 250.0, 400.0);
    assertThat(result.intervals().get(0).throughputPerSecond()).isEqualTo(100.0);
  }

  private static long above(Histogram h, long value) {
    return h.getTotalCount() - h.getCountBetweenValues(0, value);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void run_isOneShot_andRejectsNull() {
    OpenLoad load =
        OpenLoad.of(LoadProfile.constant(1000, Duration.ofMillis(1))).virtualClock(clock);
    load.run((seq, intendedStart) -> Status.DONE);
    assertThatThrownBy(() -> load.run((seq, intendedStart) -> Status.DONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("runs once");
    assertThatThrownBy(() -> OpenLoad.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("profile");
    assertThatThrownBy(() -> load.run(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("operation");
    assertThatThrownBy(() -> load.lateAfter(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
