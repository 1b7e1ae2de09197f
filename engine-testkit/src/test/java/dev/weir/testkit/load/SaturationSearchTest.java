package dev.weir.testkit.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.scheduler.VirtualClock;
import dev.weir.testkit.load.LoadOperation.Status;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The search over synthetic systems whose latency is known exactly: a single server that takes 1 ms
 * per operation (capacity 1,000 per second), run by {@link OpenLoad} on a virtual clock. Below its
 * capacity every operation waits for nothing (latency 1 ms); above it the backlog grows for the
 * whole step, and so does the latency. The knee is 1,000 per second.
 */
class SaturationSearchTest {

  private final VirtualClock clock = VirtualClock.start();
  private final Map<Double, LoadResult> runs = new LinkedHashMap<>();

  private LoadResult server(LoadProfile profile, long failEveryAbove) {
    double rate = profile.rateAt(Duration.ZERO);
    LoadResult result =
        OpenLoad.of(profile)
            .virtualClock(clock)
            .drain(Duration.ofSeconds(10))
            .run(
                (seq, intended) -> {
                  clock.advance(Duration.ofMillis(1));
                  return rate > failEveryAbove && seq == 7 ? Status.FAILED : Status.DONE;
                });
    runs.put(rate, result);
    return result;
  }

  @Test
  void search_findsTheCapacityOfASingleServer() {
    SaturationResult found =
        SaturationSearch.p99Below(Duration.ofMillis(10))
            .from(100)
            .growBy(2)
            .trialLength(Duration.ofSeconds(1))
            .refine(4)
            .run(profile -> server(profile, Long.MAX_VALUE));

    assertThat(found.steps())
        .extracting(SaturationResult.Step::ratePerSecond)
        .containsExactly(100.0, 200.0, 400.0, 800.0, 1600.0, 1200.0, 1000.0, 1100.0, 1050.0);
    assertThat(found.steps())
        .extracting(SaturationResult.Step::passed)
        .containsExactly(true, true, true, true, false, false, true, false, false);
    assertThat(found.knee()).hasValue(1000.0);
    assertThat(found.firstFailing()).hasValue(1050.0);
    assertThat(found.summary()).contains("knee: 1000.0/s", "FAIL", "p99");

    // What the search judged at 1600/s is the queueing delay; the service time stayed at 1 ms, so
    // a search on uncorrected latency would have passed this rate (and every rate up to the cap).
    LoadResult overloaded = Objects.requireNonNull(runs.get(1600.0), "the step at 1600/s");
    assertThat(overloaded.latencyAt(99)).isGreaterThan(Duration.ofMillis(100));
    assertThat(overloaded.serviceTimeAt(99)).isLessThanOrEqualTo(Duration.ofMillis(2));
    assertThat(overloaded.nothingLost()).isTrue();
  }

  @Test
  void search_stopsAtTheFirstRateThatLosesAnOperation() {
    SaturationResult found =
        SaturationSearch.p99Below(Duration.ofMillis(10))
            .from(100)
            .stepBy(100)
            .trialLength(Duration.ofMillis(500))
            .refine(0)
            .run(profile -> server(profile, 500));
    assertThat(found.knee()).hasValue(500.0);
    assertThat(found.firstFailing()).hasValue(600.0);
    SaturationResult.Step last = found.steps().get(found.steps().size() - 1);
    assertThat(last.missing()).isEqualTo(1);
    assertThat(last.why()).contains("failed=1");
  }

  @Test
  void search_reportsNoKnee_whenTheFirstRateFails_andNoFailure_whenTheCapHolds() {
    SaturationResult tooSlow =
        SaturationSearch.p99Below(Duration.ofMillis(10))
            .from(2000)
            .trialLength(Duration.ofMillis(500))
            .run(profile -> server(profile, Long.MAX_VALUE));
    assertThat(tooSlow.knee()).isEmpty();
    assertThat(tooSlow.steps()).hasSize(1);

    SaturationResult capped =
        SaturationSearch.p99Below(Duration.ofMillis(10))
            .from(100)
            .upTo(500)
            .trialLength(Duration.ofMillis(500))
            .run(profile -> server(profile, Long.MAX_VALUE));
    assertThat(capped.knee()).hasValue(400.0);
    assertThat(capped.firstFailing()).isEmpty();
    assertThat(capped.summary()).contains("no step failed");
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void search_rethrowsABrokenTrial() {
    assertThatThrownBy(
            () ->
                SaturationSearch.p99Below(Duration.ofMillis(1))
                    .run(
                        profile -> {
                          throw new IllegalStateException("no graph");
                        }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("100/s threw")
        .hasRootCauseMessage("no graph");
    assertThatThrownBy(() -> SaturationSearch.p99Below(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("bound");
  }
}
