package dev.weir.testkit.internal;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The command that replays a run: the Maven test invocation of the method that started it, with its
 * seed. Found by walking the stack to the first frame outside the toolkit.
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
    String entry = entryClass.getName();
    Optional<StackWalker.StackFrame> caller =
        StackWalker.getInstance()
            .walk(
                frames ->
                    frames
                        .filter(
                            f ->
                                !f.getClassName().equals(entry)
                                    && !f.getClassName().startsWith(entry + "$")
                                    && !f.getClassName().startsWith("dev.weir.testkit.internal."))
                        .findFirst());
    Path dir = Path.of("").toAbsolutePath().getFileName();
    String module = dir == null ? "." : dir.toString();
    String test =
        caller
            .map(f -> topLevel(f.getClassName()) + "#" + f.getMethodName())
            .orElse("YourTest#yourMethod");
    return "mvn -B -ntp -pl "
        + module
        + " -am verify -Dtest='"
        + test
        + "' -Dsurefire.failIfNoSpecifiedTests=false -Dweir.seed="
        + seed;
  }

  private static String topLevel(String className) {
    int dollar = className.indexOf('$');
    String outer = dollar < 0 ? className : className.substring(0, dollar);
    return outer.substring(outer.lastIndexOf('.') + 1);
  }
}
