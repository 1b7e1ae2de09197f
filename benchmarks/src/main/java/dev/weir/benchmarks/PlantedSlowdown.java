package dev.weir.benchmarks;

/**
 * A deliberate slowdown of the Weir rows, to show that the regression gate catches one: with {@code
 * -Dweir.bench.slowdown=1.25} every Weir benchmark operation busy-waits until it has taken 1.25
 * times as long as its real work, so its throughput drops to 1/1.25 = 80%. Unset (the default), the
 * factor is a constant 1 and {@link #end} folds away.
 *
 * <pre>{@code
 * benchmarks/gate.sh -- -jvmArgsPrepend -Dweir.bench.slowdown=1.25   # ten rounds; exits 1
 * }</pre>
 *
 * <p>Pass it with {@code -jvmArgsPrepend}, not {@code -jvmArgsAppend}: on JMH's command line the
 * latter replaces the {@code @Fork(jvmArgsAppend = ...)} heap settings of the classes, which
 * changes the GC behaviour of the allocating benchmarks on top of the planted slowdown.
 *
 * <p>Thread-safety: stateless after class initialization.
 */
final class PlantedSlowdown {

  /** The system property that plants the slowdown. */
  static final String PROPERTY = "weir.bench.slowdown";

  private static final double FACTOR = parse(System.getProperty(PROPERTY));
  private static final boolean ON = FACTOR > 1.0;

  private PlantedSlowdown() {}

  private static double parse(String value) {
    if (value == null || value.isBlank()) {
      return 1.0;
    }
    double factor = Double.parseDouble(value.trim());
    if (!(factor >= 1.0)) {
      throw new IllegalArgumentException("-D" + PROPERTY + " must be >= 1, was " + value);
    }
    return factor;
  }

  /** Marks the start of a Weir operation; 0 when no slowdown is planted. */
  static long start() {
    return ON ? System.nanoTime() : 0;
  }

  /** Stretches the operation that began at {@code started} to {@code FACTOR} times its length. */
  static void end(long started) {
    if (ON) {
      long now = System.nanoTime();
      long until = now + (long) ((now - started) * (FACTOR - 1.0));
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    }
  }
}
