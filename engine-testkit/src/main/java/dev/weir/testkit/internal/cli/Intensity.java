package dev.weir.testkit.internal.cli;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How hard and how long each scenario runs.
 *
 * <p>Thread-safety: an enum.
 *
 * <p>{@code duration} is each scenario's length (the long-running one runs {@code soak}); {@code
 * operations} ends a {@code --deterministic} run (it counts operations, not time); {@code monitor}
 * is the resource sampling interval; {@code saturation} whether the load category also searches for
 * the saturation knee.
 */
enum Intensity {
  SMOKE(
      "smoke", Duration.ofSeconds(3), Duration.ofSeconds(5), 1_500, Duration.ofMillis(100), false),
  LOW("low", Duration.ofSeconds(15), Duration.ofSeconds(60), 10_000, Duration.ofMillis(250), false),
  MEDIUM(
      "medium",
      Duration.ofSeconds(60),
      Duration.ofMinutes(10),
      50_000,
      Duration.ofSeconds(1),
      true),
  HIGH("high", Duration.ofMinutes(5), Duration.ofHours(1), 200_000, Duration.ofSeconds(1), true);

  final String label;
  final Duration duration;
  final Duration soak;
  final long operations;
  final Duration monitor;
  final boolean saturation;

  Intensity(
      String label,
      Duration duration,
      Duration soak,
      long operations,
      Duration monitor,
      boolean saturation) {
    this.label = label;
    this.duration = duration;
    this.soak = soak;
    this.operations = operations;
    this.monitor = monitor;
    this.saturation = saturation;
  }

  static Intensity parse(String text) {
    return Labels.parse(Intensity.class, text, i -> i.label);
  }

  static String labels() {
    return Arrays.stream(values()).map(i -> i.label).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return label;
  }
}
