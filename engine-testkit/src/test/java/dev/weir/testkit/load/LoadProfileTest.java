package dev.weir.testkit.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadProfileTest {

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Test
  void constant_holdsItsRateUntilTheEnd_thenZero() {
    LoadProfile p = LoadProfile.constant(1000, Duration.ofSeconds(1));
    assertThat(p.rateAt(Duration.ZERO)).isEqualTo(1000.0);
    assertThat(p.rateAt(ms(999))).isEqualTo(1000.0);
    assertThat(p.rateAt(ms(1000))).isEqualTo(0.0);
    assertThat(p.duration()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.intendedOperations()).isEqualTo(1000);
    assertThat(p).hasToString("constant 1000/s for PT1S");
  }

  @Test
  void ramp_movesInAStraightLine() {
    LoadProfile p = LoadProfile.ramp(200, 1000, Duration.ofSeconds(8));
    assertThat(p.rateAt(Duration.ZERO)).isEqualTo(200.0);
    assertThat(p.rateAt(Duration.ofSeconds(2))).isEqualTo(400.0);
    assertThat(p.rateAt(Duration.ofSeconds(4))).isEqualTo(600.0);
    assertThat(p.rateAt(Duration.ofSeconds(8))).isEqualTo(0.0);
    LoadProfile down = LoadProfile.ramp(1000, 0, Duration.ofSeconds(10));
    assertThat(down.rateAt(Duration.ofSeconds(5))).isEqualTo(500.0);
    // the area under 200 -> 1000 over 8 s is 4800 operations; the schedule steps by 1/rate
    assertThat((double) p.intendedOperations()).isCloseTo(4800, within(48.0));
  }

  @Test
  void step_climbsOnePlateauPerStepLength() {
    LoadProfile p = LoadProfile.step(100, 150, Duration.ofSeconds(1), 3);
    assertThat(p.duration()).isEqualTo(Duration.ofSeconds(3));
    assertThat(p.rateAt(Duration.ZERO)).isEqualTo(100.0);
    assertThat(p.rateAt(ms(999))).isEqualTo(100.0);
    assertThat(p.rateAt(ms(1000))).isEqualTo(250.0);
    assertThat(p.rateAt(ms(2500))).isEqualTo(400.0);
    assertThat(p.rateAt(ms(3000))).isEqualTo(0.0);
    assertThat(p.intendedOperations()).isEqualTo(100 + 250 + 400);
  }

  @Test
  void spike_isPeakInsideItsWindowOnly() {
    LoadProfile p = LoadProfile.spike(10, 1000, Duration.ofSeconds(10), ms(4000), ms(1000));
    assertThat(p.rateAt(ms(3999))).isEqualTo(10.0);
    assertThat(p.rateAt(ms(4000))).isEqualTo(1000.0);
    assertThat(p.rateAt(ms(4999))).isEqualTo(1000.0);
    assertThat(p.rateAt(ms(5000))).isEqualTo(10.0);
    // 40 before (every 100 ms from 0 to 3.9 s), 1000 inside, 50 after (5.0 s to 9.9 s)
    assertThat(p.intendedOperations()).isEqualTo(40 + 1000 + 50);
  }

  @Test
  void sine_swingsAroundItsMean() {
    LoadProfile p = LoadProfile.sine(100, 50, Duration.ofSeconds(4), Duration.ofSeconds(8));
    assertThat(p.rateAt(Duration.ZERO)).isEqualTo(100.0);
    assertThat(p.rateAt(ms(1000))).isCloseTo(150.0, within(1e-9));
    assertThat(p.rateAt(ms(2000))).isCloseTo(100.0, within(1e-9));
    assertThat(p.rateAt(ms(3000))).isCloseTo(50.0, within(1e-9));
    assertThat(p.rateAt(ms(5000))).isCloseTo(150.0, within(1e-9));
  }

  @Test
  void then_joinsTwoProfilesEndToEnd() {
    LoadProfile p =
        LoadProfile.constant(100, Duration.ofSeconds(1))
            .then(LoadProfile.constant(200, Duration.ofSeconds(1)));
    assertThat(p.duration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.rateAt(ms(500))).isEqualTo(100.0);
    assertThat(p.rateAt(ms(1500))).isEqualTo(200.0);
    assertThat(p.intendedOperations()).isEqualTo(300);
  }

  @Test
  void schedule_skipsIdleStretches() {
    LoadProfile p =
        LoadProfile.constant(0, Duration.ofSeconds(1))
            .then(LoadProfile.constant(1000, Duration.ofMillis(10)));
    assertThat(p.firstStartNanos()).isEqualTo(1e9);
    assertThat(p.intendedOperations()).isEqualTo(10);
    assertThat(LoadProfile.constant(0, Duration.ofSeconds(1)).intendedOperations()).isZero();
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void factories_rejectImpossibleShapes() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> LoadProfile.constant(-1, s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("perSecond");
    assertThatThrownBy(() -> LoadProfile.constant(Double.NaN, s))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoadProfile.constant(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration");
    assertThatThrownBy(() -> LoadProfile.constant(1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("duration");
    assertThatThrownBy(() -> LoadProfile.sine(10, 20, s, s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("below zero");
    assertThatThrownBy(() -> LoadProfile.step(100, -60, s, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("last plateau");
    assertThatThrownBy(() -> LoadProfile.spike(1, 2, s, s, s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inside the profile");
    assertThatThrownBy(() -> LoadProfile.constant(1, s).then(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("next");
    assertThatThrownBy(() -> LoadProfile.constant(1, s).rateAt(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("elapsed");
  }
}
