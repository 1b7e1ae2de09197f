package dev.weir.benchmarks;

/**
 * The result checks every benchmark runs on its own output: a wrong result throws, which fails the
 * JMH run (and the smoke test), instead of publishing a fast but meaningless score.
 *
 * <p>Thread-safety: stateless.
 */
final class Check {

  private Check() {}

  /** Throws unless {@code actual == expected}, naming the workload. */
  static void equal(String what, long expected, long actual) {
    if (actual != expected) {
      throw new IllegalStateException(
          what
              + ": wrong result "
              + actual
              + ", expected "
              + expected
              + " (the benchmark is broken)");
    }
  }

  /** Throws with the workload's name and a description. */
  static IllegalStateException broken(String what, String problem) {
    return new IllegalStateException(what + ": " + problem + " (the benchmark is broken)");
  }
}
