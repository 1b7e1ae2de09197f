package dev.weir.testkit;

import java.util.Objects;

/**
 * A {@link Verdict} with the text that explains it.
 *
 * <p>Thread-safety: an immutable record.
 *
 * @param verdict the verdict
 * @param detail what was checked and, for INVALID or UNKNOWN, what went wrong; one or a few lines
 */
public record CheckResult(Verdict verdict, String detail) {

  /**
   * Checks the components.
   *
   * @param verdict the verdict
   * @param detail the explanation
   * @throws NullPointerException if either is null
   */
  public CheckResult {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * Returns a passing result.
   *
   * @param detail what held
   * @return a VALID result
   */
  public static CheckResult valid(String detail) {
    return new CheckResult(Verdict.VALID, detail);
  }

  /**
   * Returns a failing result.
   *
   * @param detail what broke, naming the edge, stream or message involved
   * @return an INVALID result
   */
  public static CheckResult invalid(String detail) {
    return new CheckResult(Verdict.INVALID, detail);
  }

  /**
   * Returns an undecided result, which fails the run.
   *
   * @param detail why the checker could not decide
   * @return an UNKNOWN result
   */
  public static CheckResult unknown(String detail) {
    return new CheckResult(Verdict.UNKNOWN, detail);
  }

  /**
   * Returns whether this result is a pass.
   *
   * @return {@code true} only for VALID
   */
  public boolean passed() {
    return verdict == Verdict.VALID;
  }
}
