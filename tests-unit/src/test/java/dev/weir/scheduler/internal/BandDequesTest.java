package dev.weir.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.scheduler.Priority;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the band deques report to metrics: queue wait is sampled, one push in eight. */
class BandDequesTest {

  /** Records the queue waits it is told about; its clock reads 1000 + calls. */
  private static final class RecordingMetrics implements RuntimeMetrics {
    final List<Long> waits = new ArrayList<>();
    long clock = 1_000;

    @Override
    public long now() {
      return clock++;
    }

    @Override
    public void queueWaitSince(long queuedAt) {
      waits.add(queuedAt);
    }
  }

  @Test
  void poll_eightyPushesAndTakes_recordsTheQueueWaitOfTheFirstAndEveryEighth() {
    RecordingMetrics metrics = new RecordingMetrics();
    BandDeques deques = new BandDeques(ReadyQueuesTest.weights(8, 4, 2, 1), 0, 0, metrics);
    NodeCell cell = ReadyQueuesTest.cell("a");

    for (int i = 0; i < 80; i++) {
      deques.add(cell, Priority.NORMAL.ordinal());
      assertThat(deques.poll()).isSameAs(cell);
    }

    assertThat(metrics.waits).hasSize(80 / BandDeques.QUEUE_WAIT_SAMPLE);
    assertThat(metrics.clock).isEqualTo(1_000 + 10); // the clock is read only for sampled pushes
  }

  @Test
  void poll_pushWithItsOwnTimestamp_isAlwaysRecorded() {
    RecordingMetrics metrics = new RecordingMetrics();
    BandDeques deques = new BandDeques(ReadyQueuesTest.weights(8, 4, 2, 1), 0, 0, metrics);
    NodeCell cell = ReadyQueuesTest.cell("a");

    for (int i = 0; i < 5; i++) {
      deques.add(cell, Priority.NORMAL.ordinal(), 42);
      deques.poll();
    }

    assertThat(metrics.waits).containsExactly(42L, 42L, 42L, 42L, 42L);
  }
}
