package dev.weir.scheduler.internal;

/**
 * Which throwables the runtime must not absorb. A node's hook may throw anything, including {@link
 * StackOverflowError} from a recursion bug; all of that goes through the node's error policy. Only
 * errors that mean the JVM itself is in trouble propagate.
 *
 * <p>Thread-safety: stateless.
 */
final class Failures {

  private Failures() {}

  /** True for OutOfMemoryError, InternalError and UnknownError; false for anything else. */
  static boolean isFatal(Throwable t) {
    return t instanceof OutOfMemoryError || t instanceof InternalError || t instanceof UnknownError;
  }
}
