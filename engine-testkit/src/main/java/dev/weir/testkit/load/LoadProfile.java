package dev.weir.testkit.load;

import java.time.Duration;
import java.util.Objects;

/**
 * A target arrival rate over time: a pure function from the time elapsed since the start of a load
 * run to operations per second, over a fixed duration. {@link OpenLoad} turns it into the intended
 * start time of each operation; {@link SaturationSearch} runs one constant profile per step.
 *
 * <p>The shapes, rate on the vertical axis and time on the horizontal one:
 *
 * <pre>
 * constant(r, d)        ramp(a, b, d)          step(a, inc, len, 3)
 *  r ┤────────────       b ┤          ╱        a+2inc ┤        ┌───
 *    │                     │       ╱           a+inc  ┤    ┌───┘
 *    │                   a ┤────╱              a      ┤────┘
 *    └────────────► d      └──────────► d             └────────────► 3·len
 *
 * spike(base, peak, d, at, len)   sine(mean, amp, period, d)
 *  peak ┤     ┌──┐                 mean+amp ┤  ╭─╮     ╭─╮
 *       │     │  │                 mean     ┤─╯───╰───╯───╰──
 *  base ┤─────┘  └──────           mean-amp ┤      ╰─╯
 *       └─────┴──┴──────► d                 └────────────────► d
 *            at  at+len
 * </pre>
 *
 * <p>The rate is defined on {@code [0, duration)} and is zero from the duration on. Profiles are
 * immutable values; {@link #then} joins two end to end.
 *
 * <p>Thread-safety: immutable; safe from any thread.
 */
public final class LoadProfile {

  /** The rate, in operations per second, at an offset in nanoseconds in {@code [0, duration)}. */
  @FunctionalInterface
  private interface Rate {
    double at(double offsetNanos);
  }

  private static final double NANOS_PER_SECOND = 1e9;

  private final String description;
  private final long durationNanos;
  private final Rate rate;

  private LoadProfile(String description, Duration duration, Rate rate) {
    this.description = description;
    this.durationNanos = duration.toNanos();
    this.rate = rate;
  }

  /**
   * A constant rate.
   *
   * @param perSecond operations per second, at least zero
   * @param duration how long
   * @return the profile
   */
  public static LoadProfile constant(double perSecond, Duration duration) {
    rate(perSecond, "perSecond");
    positive(duration, "duration");
    return new LoadProfile(
        "constant " + fmt(perSecond) + "/s for " + duration, duration, t -> perSecond);
  }

  /**
   * A rate that moves in a straight line from {@code from} at the start to {@code to} at the end
   * (up or down).
   *
   * @param from the rate at the start, operations per second
   * @param to the rate the line reaches at {@code duration}
   * @param duration how long
   * @return the profile
   */
  public static LoadProfile ramp(double from, double to, Duration duration) {
    rate(from, "from");
    rate(to, "to");
    positive(duration, "duration");
    double length = (double) duration.toNanos();
    return new LoadProfile(
        "ramp " + fmt(from) + "/s to " + fmt(to) + "/s over " + duration,
        duration,
        t -> from + (to - from) * (t / length));
  }

  /**
   * A staircase: {@code steps} plateaus of {@code stepLength} each, the first at {@code first},
   * each next one {@code increment} higher (lower when negative; no plateau may go below zero).
   *
   * @param first the rate of the first plateau, operations per second
   * @param increment what each plateau adds to the one before
   * @param stepLength how long each plateau lasts
   * @param steps how many plateaus, at least one
   * @return the profile, {@code steps × stepLength} long
   */
  public static LoadProfile step(double first, double increment, Duration stepLength, int steps) {
    rate(first, "first");
    if (!Double.isFinite(increment)) {
      throw new IllegalArgumentException("increment must be finite, was " + increment);
    }
    positive(stepLength, "stepLength");
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, was " + steps);
    }
    rate(first + increment * (steps - 1), "the last plateau (first + increment × (steps - 1))");
    double length = (double) stepLength.toNanos();
    return new LoadProfile(
        "step "
            + fmt(first)
            + "/s +"
            + fmt(increment)
            + "/s every "
            + stepLength
            + ", "
            + steps
            + " steps",
        stepLength.multipliedBy(steps),
        t -> first + increment * Math.floor(t / length));
  }

  /**
   * A base rate with one burst: {@code peak} from {@code at} for {@code length}, {@code base}
   * before and after.
   *
   * @param base the rate outside the spike, operations per second
   * @param peak the rate inside it
   * @param duration the whole profile's length
   * @param at when the spike starts, before {@code duration}
   * @param length how long it lasts; it ends at the latest with the profile
   * @return the profile
   */
  public static LoadProfile spike(
      double base, double peak, Duration duration, Duration at, Duration length) {
    rate(base, "base");
    rate(peak, "peak");
    positive(duration, "duration");
    Objects.requireNonNull(at, "at");
    positive(length, "length");
    if (at.isNegative() || at.compareTo(duration) >= 0) {
      throw new IllegalArgumentException(
          "the spike must start inside the profile: at=" + at + ", duration=" + duration);
    }
    double from = (double) at.toNanos();
    double to = from + (double) length.toNanos();
    return new LoadProfile(
        "spike "
            + fmt(base)
            + "/s with "
            + fmt(peak)
            + "/s at "
            + at
            + " for "
            + length
            + ", over "
            + duration,
        duration,
        t -> t >= from && t < to ? peak : base);
  }

  /**
   * An oscillating rate: {@code mean + amplitude × sin(2π t / period)}.
   *
   * @param mean the middle rate, operations per second
   * @param amplitude how far the rate swings either way, at most {@code mean}
   * @param period the length of one full swing
   * @param duration the whole profile's length
   * @return the profile
   */
  public static LoadProfile sine(
      double mean, double amplitude, Duration period, Duration duration) {
    rate(mean, "mean");
    rate(amplitude, "amplitude");
    if (amplitude > mean) {
      throw new IllegalArgumentException(
          "amplitude "
              + amplitude
              + " exceeds the mean "
              + mean
              + ": the rate would go below zero");
    }
    positive(period, "period");
    positive(duration, "duration");
    double omega = 2 * Math.PI / period.toNanos();
    return new LoadProfile(
        "sine "
            + fmt(mean)
            + "/s ± "
            + fmt(amplitude)
            + "/s, period "
            + period
            + ", over "
            + duration,
        duration,
        t -> Math.max(0, mean + amplitude * Math.sin(omega * t)));
  }

  /**
   * This profile, then {@code next} (e.g. a warm-up ramp, then a constant rate).
   *
   * @param next the profile that starts where this one ends
   * @return a profile as long as both together
   */
  public LoadProfile then(LoadProfile next) {
    Objects.requireNonNull(next, "next");
    double split = (double) durationNanos;
    Rate first = rate;
    Rate second = next.rate;
    return new LoadProfile(
        description + ", then " + next.description,
        Duration.ofNanos(durationNanos + next.durationNanos),
        t -> t < split ? first.at(t) : second.at(t - split));
  }

  /**
   * The target rate at a point of the profile.
   *
   * @param elapsed the time since the start of the run
   * @return operations per second; zero from the profile's duration on
   */
  public double rateAt(Duration elapsed) {
    Objects.requireNonNull(elapsed, "elapsed");
    if (elapsed.isNegative()) {
      throw new IllegalArgumentException("elapsed must not be negative, was " + elapsed);
    }
    return rateAtNanos((double) elapsed.toNanos());
  }

  /**
   * How long the profile lasts.
   *
   * @return its duration
   */
  public Duration duration() {
    return Duration.ofNanos(durationNanos);
  }

  /**
   * How many operations the profile intends in all: the number of intended start times that {@link
   * OpenLoad} computes from it.
   *
   * @return the count of intended operations
   */
  public long intendedOperations() {
    long count = 0;
    for (double t = firstStartNanos(); t < durationNanos; t = nextStartNanos(t)) {
      count++;
    }
    return count;
  }

  double rateAtNanos(double offsetNanos) {
    return offsetNanos < 0 || offsetNanos >= durationNanos ? 0 : rate.at(offsetNanos);
  }

  long durationNanos() {
    return durationNanos;
  }

  /**
   * The offset of the first intended operation: zero, or the first millisecond at which the rate is
   * above zero; {@link Double#POSITIVE_INFINITY} if it never is.
   */
  double firstStartNanos() {
    return skipIdle(0);
  }

  /**
   * The offset of the operation after one intended at {@code offsetNanos}: one interval of {@code 1
   * / rate} later, the rate taken at {@code offsetNanos}; where the rate is zero, the first
   * millisecond after which it is not. {@link Double#POSITIVE_INFINITY} past the end.
   */
  double nextStartNanos(double offsetNanos) {
    double r = rateAtNanos(offsetNanos);
    return r > 0 ? finish(offsetNanos + NANOS_PER_SECOND / r) : skipIdle(offsetNanos + 1e6);
  }

  private double skipIdle(double offsetNanos) {
    double t = offsetNanos;
    while (t < durationNanos && !(rateAtNanos(t) > 0)) {
      t += 1e6;
    }
    return finish(t);
  }

  private double finish(double offsetNanos) {
    return offsetNanos < durationNanos ? offsetNanos : Double.POSITIVE_INFINITY;
  }

  /**
   * Describes the profile.
   *
   * @return e.g. {@code constant 1000/s for PT10S}
   */
  @Override
  public String toString() {
    return description;
  }

  private static void rate(double perSecond, String name) {
    if (!Double.isFinite(perSecond) || perSecond < 0) {
      throw new IllegalArgumentException(
          name + " must be a finite rate of at least zero, was " + perSecond);
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  static String fmt(double perSecond) {
    return perSecond == Math.rint(perSecond) && Math.abs(perSecond) < 1e15
        ? Long.toString((long) perSecond)
        : String.format(java.util.Locale.ROOT, "%.2f", perSecond);
  }
}
