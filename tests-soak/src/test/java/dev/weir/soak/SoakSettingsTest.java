package dev.weir.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How {@code -Dweir.soak.duration} and the scale decide a soak's length, warm-up and bounds. */
class SoakSettingsTest {

  @Test
  void parse_empty_usesTheScaleDefault() {
    assertThat(SoakSettings.parse(" ", SoakSettings.NIGHTLY)).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void parse_isoDuration_wins() {
    assertThat(SoakSettings.parse("PT5M", SoakSettings.SMOKE)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void parse_notADuration_namesThePropertyAndAnExample() {
    assertThatThrownBy(() -> SoakSettings.parse("5m", SoakSettings.SMOKE))
        .hasMessageContaining("-Dweir.soak.duration=5m")
        .hasMessageContaining("PT5M");
    assertThatThrownBy(() -> SoakSettings.parse("PT0S", SoakSettings.SMOKE))
        .hasMessageContaining("positive");
  }

  @Test
  void forDuration_longRun_getsTheTightHeapBoundAndAFiveMinuteWarmUp() {
    SoakSettings nightly = SoakSettings.forDuration(Duration.ofMinutes(30));
    assertThat(nightly.heapMiBPerHour()).isEqualTo(SoakSettings.LONG_RUN_HEAP_MIB_PER_HOUR);
    assertThat(nightly.warmUp()).isEqualTo(Duration.ofMinutes(5));
    assertThat(nightly.statusInterval()).isLessThanOrEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void forDuration_smoke_warmsUpForAQuarter() {
    SoakSettings smoke = SoakSettings.forDuration(SoakSettings.SMOKE);
    assertThat(smoke.warmUp()).isEqualTo(Duration.ofSeconds(15));
    assertThat(smoke.heapMiBPerHour()).isEqualTo(SoakSettings.SHORT_RUN_HEAP_MIB_PER_HOUR);
  }
}
