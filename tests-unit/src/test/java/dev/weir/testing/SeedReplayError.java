package dev.weir.testing;

/**
 * A test failure that carries the command to replay it with: the message starts with {@code [replay
 * with: mvn -B -ntp -pl tests-unit -am test -Dtest='FooTest#method' -Dweir.seed=N]} (see {@link
 * Seed#replayCommand}), the original failure is the cause, and the stack trace is the original's,
 * so Surefire's summary line and report show both what failed and how to reproduce it.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class SeedReplayError extends AssertionError {

  private static final long serialVersionUID = 1L;

  private final String seed;
  private final String command;

  /**
   * Wraps a failure.
   *
   * @param seed the seed value, as {@code -Dweir.seed} takes it
   * @param command the command that replays the failing test with that seed
   * @param failure what the test threw
   */
  public SeedReplayError(String seed, String command, Throwable failure) {
    super("[replay with: " + command + "] " + describe(failure), failure);
    this.seed = seed;
    this.command = command;
    setStackTrace(failure.getStackTrace());
  }

  /**
   * Returns the command that replays the failure, runnable verbatim from the repository root.
   *
   * @return the replay command
   */
  public String command() {
    return command;
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
