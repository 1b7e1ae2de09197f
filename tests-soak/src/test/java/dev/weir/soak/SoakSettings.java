package dev.weir.soak;

import dev.weir.testkit.junit.SuiteScale;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * How long a soak runs and what it tolerates: the duration from {@code -Dweir.soak.duration}
 * (ISO-8601, e.g. {@code PT5M}) or else from the scale (about a minute inside the root build, 30
 * minutes when the module is built alone, see {@link SuiteScale}), the warm-up whose samples the
 * verdicts ignore, and the bounds every verdict states.
 *
 * <p>Thread-safety: an immutable record.
 *
 * @param duration how long the actors run
 * @param warmUp samples taken before this are ignored by every trend (class loading, JIT, pools and
 *     caches filling)
 * @param heapMiBPerHour the largest growth of heap after GC that passes
 * @param probeInterval how often the probe forces a collection and reads its counters
 * @param statusInterval how often a progress line is printed
 */
record SoakSettings(
    Duration duration,
    Duration warmUp,
    double heapMiBPerHour,
    Duration probeInterval,
    Duration statusInterval) {

  /** The system property that sets the duration. */
  static final String DURATION_PROPERTY = "weir.soak.duration";

  /** The duration at smoke scale, when no duration is given. */
  static final Duration SMOKE = Duration.ofSeconds(60);

  /** The duration at nightly scale, when no duration is given. */
  static final Duration NIGHTLY = Duration.ofMinutes(30);

  /**
   * Heap growth allowed on runs shorter than ten minutes, in MiB per hour (2 MiB a minute). The
   * probe forces a full collection every two seconds, so heap after GC is the live set: a steady
   * one-minute run measured 0.04 MiB a minute (2026-12-08, 2 cores, load 20). One SLF4J logger kept
   * per tenant node measured 5 to 8 MiB a minute; the planted leak retains 60.
   */
  static final double SHORT_RUN_HEAP_MIB_PER_HOUR = 120;

  /**
   * Heap growth allowed on runs of ten minutes or more, in MiB per hour: an application restarted
   * daily may grow a few hundred MiB at most, and a longer run averages over more collections.
   */
  static final double LONG_RUN_HEAP_MIB_PER_HOUR = 30;

  SoakSettings {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(warmUp, "warmUp");
    Objects.requireNonNull(probeInterval, "probeInterval");
    Objects.requireNonNull(statusInterval, "statusInterval");
  }

  /** Returns the settings of this test JVM: the property, else the scale's default duration. */
  static SoakSettings current() {
    return forDuration(
        parse(
            System.getProperty(DURATION_PROPERTY, ""), SuiteScale.current().pick(SMOKE, NIGHTLY)));
  }

  /**
   * Returns the settings for a run of this length: a quarter of it (at most five minutes) is
   * warm-up; runs of ten minutes or more get the tight heap bound.
   */
  static SoakSettings forDuration(Duration duration) {
    Duration warmUp = duration.dividedBy(4);
    if (warmUp.compareTo(Duration.ofMinutes(5)) > 0) {
      warmUp = Duration.ofMinutes(5);
    }
    boolean longRun = duration.compareTo(Duration.ofMinutes(10)) >= 0;
    return new SoakSettings(
        duration,
        warmUp,
        longRun ? LONG_RUN_HEAP_MIB_PER_HOUR : SHORT_RUN_HEAP_MIB_PER_HOUR,
        longRun ? Duration.ofSeconds(5) : Duration.ofSeconds(2),
        longRun ? Duration.ofSeconds(30) : Duration.ofSeconds(10));
  }

  /**
   * Reads {@code -Dweir.soak.duration}: empty means {@code otherwise}.
   *
   * @throws IllegalArgumentException naming the value and an example when it is not a positive
   *     ISO-8601 duration
   */
  static Duration parse(String text, Duration otherwise) {
    String value = text.trim();
    if (value.isEmpty()) {
      return otherwise;
    }
    try {
      Duration d = Duration.parse(value);
      if (!d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (DateTimeParseException e) {
      // reported below with the example
    }
    throw new IllegalArgumentException(
        "-D"
            + DURATION_PROPERTY
            + "="
            + text
            + " is not a positive ISO-8601 duration: write e.g. -D"
            + DURATION_PROPERTY
            + "=PT5M (5 minutes) or PT2H, or leave it out for the scale's default ("
            + SMOKE
            + " inside the root build, "
            + NIGHTLY
            + " when tests-soak is built alone)");
  }

  /** The heap threshold in bytes per minute, as {@link dev.weir.testkit.LeakDetector} takes it. */
  long heapBytesPerMinute() {
    return Math.round(heapMiBPerHour * 1024 * 1024 / 60);
  }

  /** Where every soak writes its reports: {@code target/weir-reports} under the module. */
  static Path reports() {
    return Path.of("target", "weir-reports");
  }
}
