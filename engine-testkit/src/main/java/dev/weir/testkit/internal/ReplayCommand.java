package dev.weir.testkit.internal;

import dev.weir.testkit.Seeds;
import java.util.Optional;

/**
 * The command that replays a run: {@link Seeds#replayCommand(long)} of the test that started it,
 * or, with no test method on the stack, of the first caller outside the toolkit.
 */
public final class ReplayCommand {

  private ReplayCommand() {}

  /**
   * Returns the replay command for a run started by the current thread's caller.
   *
   * @param seed the run seed
   * @param entryClass the toolkit class whose frames are skipped, with its nested classes
   */
  public static String forCaller(long seed, Class<?> entryClass) {
    String command = Seeds.replayCommand(seed);
    if (command.contains("-Dtest=")) {
      return command;
    }
    String entry = entryClass.getName();
    Optional<StackWalker.StackFrame> caller =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(
                frames ->
                    frames
                        .filter(
                            f ->
                                !f.getClassName().equals(entry)
                                    && !f.getClassName().startsWith(entry + "$")
                                    && !f.getClassName().startsWith("dev.weir.testkit.internal."))
                        .findFirst());
    return caller
        .map(
            f -> Seeds.replayCommand(f.getDeclaringClass(), f.getMethodName(), Long.toString(seed)))
        .orElse(command);
  }
}
