package dev.weir.testing;

/**
 * A test failure that carries the seed to replay it with: the message starts with {@code [replay
 * with -Dweir.seed=N]}, the original failure is the cause, and the stack trace is the original's,
 * so Surefire's summary line and report show both what failed and how to reproduce it.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class SeedReplayError extends AssertionError {

  private static final long serialVersionUID = 1L;

  private final String seed;

  /**
   * Wraps a failure.
   *
   * @param seed the seed value, as {@code -Dweir.seed} takes it
   * @param failure what the test threw
   */
  public SeedReplayError(String seed, Throwable failure) {
    super("[" + Seed.replayHint(seed) + "] " + describe(failure), failure);
    this.seed = seed;
    setStackTrace(failure.getStackTrace());
  }

  /**
   * Returns the seed that reproduces the failure.
   *
   * @return the value to pass as {@code -Dweir.seed}
   */
  public String seed() {
    return seed;
  }

  private static String describe(Throwable failure) {
    return failure instanceof AssertionError && failure.getMessage() != null
        ? failure.getMessage()
        : failure.toString();
  }
}
