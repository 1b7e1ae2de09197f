package dev.weir.testkit.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds the highest arrival rate a system sustains: the largest rate at which the latency
 * percentile (p99 by default, from intended start) stays within a bound and nothing is lost, failed
 * or left unstarted. Each step is a short constant-rate open-load run; the rate grows
 * (geometrically by default, or by a fixed increment) until the first step fails, then the gap
 * between the last passing and the first failing rate is bisected a few times. The last passing
 * rate is the knee.
 *
 * <pre>{@code
 * SaturationResult found = SaturationSearch.p99Below(Duration.ofMillis(20))
 *     .from(500).growBy(2).upTo(200_000).trialLength(Duration.ofSeconds(2))
 *     .run(profile -> runOnAFreshGraph(profile)); // an OpenLoad run per step
 * found.knee(); // OptionalDouble: the highest passing rate
 * }</pre>
 *
 * <p>Thread-safety: configure and {@link #run} from one thread.
 */
public final class SaturationSearch {

  /**
   * One step of the search: runs the system at the constant-rate profile it is given (usually a
   * fresh {@link OpenLoad} per call, on a fresh graph) and returns what the run saw.
   *
   * <p>Thread-safety: called from the searching thread, one step at a time.
   */
  @FunctionalInterface
  public interface Trial {

    /**
     * Runs one step.
     *
     * @param profile a constant rate for the search's trial length
     * @return the run's result
     * @throws Exception a broken trial: the search stops and rethrows it, wrapped
     */
    LoadResult run(LoadProfile profile) throws Exception;
  }

  private final Duration bound;
  private double percentile = 99;
  private double from = 100;
  private double factor = 2;
  private double increment;
  private double upTo = 1_000_000;
  private Duration trialLength = Duration.ofSeconds(2);
  private int refinements = 3;

  private SaturationSearch(Duration bound) {
    this.bound = bound;
  }

  /**
   * A search for the highest rate whose p99 latency is at most {@code bound}.
   *
   * @param bound the latency bound, positive
   * @return a search to configure and run
   */
  public static SaturationSearch p99Below(Duration bound) {
    Objects.requireNonNull(bound, "bound");
    if (bound.isNegative() || bound.isZero()) {
      throw new IllegalArgumentException("bound must be positive, was " + bound);
    }
    return new SaturationSearch(bound);
  }

  /**
   * Judges another percentile than 99 against the bound.
   *
   * @param value in (0, 100], e.g. 99.9
   * @return this search
   */
  public SaturationSearch percentile(double value) {
    if (!(value > 0 && value <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], was " + value);
    }
    this.percentile = value;
    return this;
  }

  /**
   * Sets the first rate tried (default 100 per second).
   *
   * @param perSecond the starting rate, positive
   * @return this search
   */
  public SaturationSearch from(double perSecond) {
    this.from = positive(perSecond, "from");
    return this;
  }

  /**
   * Multiplies the rate by {@code multiplier} after each passing step (the default, by 2).
   *
   * @param multiplier greater than 1
   * @return this search
   */
  public SaturationSearch growBy(double multiplier) {
    if (!(multiplier > 1) || !Double.isFinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be above 1, was " + multiplier);
    }
    this.factor = multiplier;
    this.increment = 0;
    return this;
  }

  /**
   * Adds {@code perSecond} to the rate after each passing step, instead of multiplying.
   *
   * @param perSecond the increment, positive
   * @return this search
   */
  public SaturationSearch stepBy(double perSecond) {
    this.increment = positive(perSecond, "perSecond");
    this.factor = 1;
    return this;
  }

  /**
   * Sets the highest rate tried (default 1,000,000 per second); the search stops there even if
   * every step passed.
   *
   * @param perSecond the cap, positive
   * @return this search
   */
  public SaturationSearch upTo(double perSecond) {
    this.upTo = positive(perSecond, "perSecond");
    return this;
  }

  /**
   * Sets how long each step runs (default 2 s).
   *
   * @param length the length of each step's profile
   * @return this search
   */
  public SaturationSearch trialLength(Duration length) {
    Objects.requireNonNull(length, "length");
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("trial length must be positive, was " + length);
    }
    this.trialLength = length;
    return this;
  }

  /**
   * Sets how many times the gap between the last passing and the first failing rate is halved
   * (default 3; 0 keeps the coarse steps only).
   *
   * @param bisections zero or more
   * @return this search
   */
  public SaturationSearch refine(int bisections) {
    if (bisections < 0) {
      throw new IllegalArgumentException("bisections must not be negative, was " + bisections);
    }
    this.refinements = bisections;
    return this;
  }

  /**
   * Runs the search.
   *
   * @param trial runs one step
   * @return every step and the knee
   * @throws IllegalStateException if a trial threw or returned null
   */
  public SaturationResult run(Trial trial) {
    Objects.requireNonNull(trial, "trial");
    if (from > upTo) {
      throw new IllegalArgumentException("from (" + from + ") is above upTo (" + upTo + ")");
    }
    List<SaturationResult.Step> steps = new ArrayList<>();
    double lastPass = Double.NaN;
    double firstFail = Double.NaN;
    for (double rate = from; rate <= upTo; rate = rate * factor + increment) {
      SaturationResult.Step step = step(trial, rate);
      steps.add(step);
      if (!step.passed()) {
        firstFail = rate;
        break;
      }
      lastPass = rate;
    }
    if (!Double.isNaN(lastPass) && !Double.isNaN(firstFail)) {
      for (int i = 0; i < refinements; i++) {
        double mid = (lastPass + firstFail) / 2;
        SaturationResult.Step step = step(trial, mid);
        steps.add(step);
        if (step.passed()) {
          lastPass = mid;
        } else {
          firstFail = mid;
        }
      }
    }
    return new SaturationResult(bound, percentile, steps, lastPass, firstFail);
  }

  private SaturationResult.Step step(Trial trial, double rate) {
    LoadResult result;
    try {
      result = trial.run(LoadProfile.constant(rate, trialLength));
    } catch (Exception e) {
      throw new IllegalStateException(
          "the saturation trial at " + LoadProfile.fmt(rate) + "/s threw: " + e, e);
    }
    if (result == null) {
      throw new IllegalStateException(
          "the saturation trial at " + LoadProfile.fmt(rate) + "/s returned null");
    }
    Duration observed = result.latencyAt(percentile);
    String why;
    if (!result.balanced()) {
      why = "accounting does not balance";
    } else if (!result.nothingLost()) {
      why =
          "failed="
              + result.failed()
              + " lost="
              + result.lost()
              + " notStarted="
              + result.notStarted();
    } else if (result.completed() == 0) {
      why = "nothing completed";
    } else if (observed.compareTo(bound) > 0) {
      why =
          "p"
              + LoadProfile.fmt(percentile)
              + " "
              + LoadResult.ms(observed.toNanos())
              + " > "
              + LoadResult.ms(bound.toNanos());
    } else {
      why = "";
    }
    return new SaturationResult.Step(
        rate,
        why.isEmpty(),
        observed,
        result.failed() + result.lost() + result.notStarted(),
        result.late(),
        result.throughputPerSecond(),
        why);
  }

  private static double positive(double value, String name) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be a positive rate, was " + value);
    }
    return value;
  }
}
