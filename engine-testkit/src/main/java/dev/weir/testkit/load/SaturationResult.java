package dev.weir.testkit.load;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a {@link SaturationSearch} found: every step it ran, in order, and the knee (the highest
 * rate that passed).
 *
 * <p>Thread-safety: immutable.
 */
public final class SaturationResult {

  /**
   * One step of the search.
   *
   * <p>Thread-safety: an immutable record.
   *
   * @param ratePerSecond the constant rate the step ran
   * @param passed whether the percentile stayed within the bound with nothing lost
   * @param latency the judged percentile's latency, from intended start
   * @param missing operations failed, lost or not started
   * @param lateStarts operations that started late
   * @param throughputPerSecond completions per second the step achieved
   * @param why why it failed; empty when it passed
   */
  public record Step(
      double ratePerSecond,
      boolean passed,
      Duration latency,
      long missing,
      long lateStarts,
      double throughputPerSecond,
      String why) {

    /**
     * Checks the components.
     *
     * @param ratePerSecond the {@link #ratePerSecond()} component
     * @param passed the {@link #passed()} component
     * @param latency the {@link #latency()} component
     * @param missing the {@link #missing()} component
     * @param lateStarts the {@link #lateStarts()} component
     * @param throughputPerSecond the {@link #throughputPerSecond()} component
     * @param why the {@link #why()} component
     * @throws NullPointerException if {@code latency} or {@code why} is null, naming it
     */
    public Step {
      Objects.requireNonNull(latency, "latency");
      Objects.requireNonNull(why, "why");
    }
  }

  private final Duration bound;
  private final double percentile;
  private final List<Step> steps;
  private final double knee;
  private final double firstFailing;

  SaturationResult(
      Duration bound, double percentile, List<Step> steps, double knee, double firstFailing) {
    this.bound = bound;
    this.percentile = percentile;
    this.steps = List.copyOf(steps);
    this.knee = knee;
    this.firstFailing = firstFailing;
  }

  /**
   * The latency bound each step was judged against.
   *
   * @return the bound
   */
  public Duration bound() {
    return bound;
  }

  /**
   * The percentile judged against the bound, e.g. 99.
   *
   * @return the percentile, in (0, 100]
   */
  public double percentile() {
    return percentile;
  }

  /**
   * Every step run, in order (the coarse steps, then the bisections).
   *
   * @return the steps
   */
  public List<Step> steps() {
    return steps;
  }

  /**
   * The highest rate that passed.
   *
   * @return the knee; empty when the first rate already failed
   */
  public OptionalDouble knee() {
    return Double.isNaN(knee) ? OptionalDouble.empty() : OptionalDouble.of(knee);
  }

  /**
   * The lowest rate that failed.
   *
   * @return that rate; empty when every rate up to the cap passed (the knee is above the cap)
   */
  public OptionalDouble firstFailing() {
    return Double.isNaN(firstFailing) ? OptionalDouble.empty() : OptionalDouble.of(firstFailing);
  }

  /**
   * One line per step and a closing line with the knee.
   *
   * @return the summary
   */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "saturation search: p%s <= %s, nothing lost%n",
            LoadProfile.fmt(percentile),
            LoadResult.ms(bound.toNanos())));
    for (Step s : steps) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %12.1f/s  %s  p%s=%s  throughput=%.1f/s  late=%d  missing=%d%s%n",
              s.ratePerSecond(),
              s.passed() ? "pass" : "FAIL",
              LoadProfile.fmt(percentile),
              LoadResult.ms(s.latency().toNanos()),
              s.throughputPerSecond(),
              s.lateStarts(),
              s.missing(),
              s.passed() ? "" : "  (" + s.why() + ")"));
    }
    sb.append("  knee: ")
        .append(knee().isPresent() ? String.format(Locale.ROOT, "%.1f/s", knee) : "none")
        .append(
            firstFailing().isPresent()
                ? String.format(Locale.ROOT, " (first failing rate %.1f/s)", firstFailing)
                : " (no step failed: the knee is at or above the cap)");
    return sb.toString();
  }

  @Override
  public String toString() {
    return summary();
  }
}
