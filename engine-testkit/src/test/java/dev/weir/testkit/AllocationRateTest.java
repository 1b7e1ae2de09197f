package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ResourceSample#allocatedBytes()}: the heap a process allocated, counted from the
 * collectors' own accounting, so it sees what threads that have since ended allocated, and never
 * goes down across collections.
 */
class AllocationRateTest {

  private static final int MIB = 1 << 20;

  @Test
  void allocatedBytes_countsWhatAnEndedThreadAllocatedAcrossCollections() throws Exception {
    try (ResourceMonitor monitor = ResourceMonitor.manual()) {
      ResourceSample before = monitor.sample();
      assertThat(before.allocatedBytes()).isNotNegative();
      Thread churn =
          new Thread(
              () -> {
                // 256 MiB in 1 MiB arrays, at most 16 MiB live: young collections run meanwhile.
                List<byte[]> live = new ArrayList<>();
                for (int i = 0; i < 256; i++) {
                  live.add(new byte[MIB]);
                  if (live.size() == 16) {
                    live.clear();
                  }
                }
              },
              "allocation-churn");
      churn.start();
      churn.join();

      // GC notifications arrive asynchronously: wait for the accounting to catch up.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> monitor.sample().allocatedBytes() - before.allocatedBytes() >= 256L * MIB);
      List<ResourceSample> samples = monitor.samples();
      for (int i = 1; i < samples.size(); i++) {
        assertThat(samples.get(i).allocatedBytes())
            .as("sample %d never below the one before", i)
            .isGreaterThanOrEqualTo(samples.get(i - 1).allocatedBytes());
      }
      ResourceSample last = samples.get(samples.size() - 1);
      assertThat(last.allocationRateSince(before)).isPositive();
    }
  }

  @Test
  void allocationRateSince_isUnknownWithoutAReading() {
    ResourceSample unknown = new ResourceSample(0, -1, 0, 0, 0, 1, -1, -1);
    ResourceSample later = new ResourceSample(1_000_000_000, -1, 0, 0, 0, 1, -1, -1, 4096);
    assertThat(unknown.allocatedBytes()).isEqualTo(-1);
    assertThat(later.allocationRateSince(unknown)).isEqualTo(-1);
    ResourceSample first = new ResourceSample(0, -1, 0, 0, 0, 1, -1, -1, 1024);
    assertThat(later.allocationRateSince(first)).isEqualTo(3072.0);
  }
}
