package dev.weir.testkit.junit;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A test failure that carries the command to replay it with: the message starts with {@code [replay
 * with: mvn -B -ntp -pl MODULE -am test -Dtest='FooTest#method' -Dweir.seed=N]} (see {@link
 * dev.weir.testkit.Seeds#replayCommand(Class, String, String)}), then the original message, then,
 * on a line of its own, the folder the failure's artifacts were written to, if any. The original
 * failure is the cause, and the stack trace is the original's, so Surefire's summary line and
 * report show both what failed and how to reproduce it.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class SeedReplayError extends AssertionError {

  private static final long serialVersionUID = 1L;

  private final String seed;
  private final String command;
  private final @Nullable String artifacts;

  /**
   * Wraps a failure.
   *
   * @param seed the seed value, as {@code -Dweir.seed} takes it
   * @param command the command that replays the failing test with that seed
   * @param failure what the test threw
   * @throws NullPointerException if an argument is null
   */
  public SeedReplayError(String seed, String command, Throwable failure) {
    this(seed, command, failure, null, "");
  }

  /**
   * Wraps a failure whose artifacts were written to a folder.
   *
   * @param seed the seed value, as {@code -Dweir.seed} takes it
   * @param command the command that replays the failing test with that seed
   * @param failure what the test threw
   * @param artifacts the failure's folder, or null if none was written
   * @param note what to know besides the command (see {@link dev.weir.testkit.Seeds#replayNote()}),
   *     or an empty string
   * @throws NullPointerException if an argument other than {@code artifacts} is null
   */
  public SeedReplayError(
      String seed, String command, Throwable failure, @Nullable Path artifacts, String note) {
    super(
        message(
            Objects.requireNonNull(command, "command"),
            Objects.requireNonNull(failure, "failure"),
            artifacts,
            Objects.requireNonNull(note, "note")),
        failure);
    this.seed = Objects.requireNonNull(seed, "seed");
    this.command = command;
    this.artifacts = artifacts == null ? null : artifacts.toString();
    setStackTrace(failure.getStackTrace());
  }

  /**
   * Returns the command that replays the failure, runnable verbatim from the root of the build.
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

  /**
   * Returns the folder the failure's artifacts were written to.
   *
   * @return the folder, or empty if none was written
   */
  public Optional<Path> artifacts() {
    return Optional.ofNullable(artifacts).map(Path::of);
  }

  private static String message(
      String command, Throwable failure, @Nullable Path artifacts, String note) {
    String described =
        failure instanceof AssertionError && failure.getMessage() != null
            ? failure.getMessage()
            : failure.toString();
    return "[replay with: "
        + command
        + "] "
        + described
        + (note.isEmpty() ? "" : "\n(replay: " + note + ")")
        + (artifacts == null ? "" : "\n(artifacts: " + artifacts + ")");
  }
}
