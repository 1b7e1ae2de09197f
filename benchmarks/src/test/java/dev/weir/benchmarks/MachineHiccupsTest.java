package dev.weir.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MachineHiccupsTest {

  @Test
  void gaps_onlyThoseOverTheThresholdCount_andAddUpToTheirShareOfTheTime() {
    MachineHiccups.Gaps gaps = new MachineHiccups.Gaps();
    gaps.record(MachineHiccups.THRESHOLD_NANOS); // the loop's own pace: not a stall
    gaps.record(8_100);
    gaps.record(10_000);
    gaps.record(12_000);
    gaps.record(40_000);
    gaps.observed(1_000_000);

    assertThat(gaps.count()).isEqualTo(4);
    assertThat(gaps.stalledShare()).isEqualTo(0.0701);
    assertThat(gaps.render())
        .isEqualTo(
            "gaps over 8 µs: 4 (4000 per second), 7.01% of the time; longest 40.0 µs\n"
                + "       8.0 to      8.2 µs: 1\n"
                + "       8.2 to     16.4 µs: 2\n"
                + "      32.8 to     65.5 µs: 1\n");
  }

  @Test
  void measure_shortRunWithAllocation_coversItsTimeAndReportsAShare() {
    MachineHiccups.Gaps gaps = MachineHiccups.measure(20_000_000, true);

    assertThat(gaps.stalledShare()).isBetween(0.0, 1.0);
    assertThat(gaps.render()).startsWith("gaps over 8 µs: ");
  }

  @Test
  void options_badInput_isRefusedWithWhatToUse() {
    assertThat(MachineHiccups.Options.parse(new String[] {"--seconds", "3", "--allocate"}))
        .isEqualTo(new MachineHiccups.Options(3, true));
    assertThatThrownBy(() -> MachineHiccups.Options.parse(new String[] {"--rate", "5"}))
        .hasMessageContaining("unknown option --rate; use --seconds N and --allocate");
    assertThatThrownBy(() -> MachineHiccups.Options.parse(new String[] {"--seconds"}))
        .hasMessageContaining("missing value after --seconds");
    assertThatThrownBy(() -> MachineHiccups.Options.parse(new String[] {"--seconds", "0"}))
        .hasMessageContaining("--seconds must be at least 1");
  }
}
