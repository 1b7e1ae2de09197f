package dev.weir.testkit;

/**
 * A checker's verdict on a run. Only {@link #VALID} is a pass: a checker that could not decide (or
 * threw) says {@link #UNKNOWN}, which fails the run as surely as {@link #INVALID}.
 *
 * <p>Thread-safety: an enum.
 */
public enum Verdict {
  /** The property holds for the run. */
  VALID,
  /** The property is broken: the detail says where and how. */
  INVALID,
  /** The checker could not decide, e.g. it threw or lacked data: never counted as a pass. */
  UNKNOWN
}
