package dev.weir.integration;

/**
 * Simulated per-message work for slow nodes: burns CPU for a while instead of sleeping, so that a
 * slow consumer stays on its worker the way real work would and no test waits for time to pass.
 */
final class BusyWork {

  private BusyWork() {}

  /** Spins for about {@code nanos} of wall time. */
  static void spin(long nanos) {
    long until = System.nanoTime() + nanos;
    while (System.nanoTime() - until < 0) {
      Thread.onSpinWait();
    }
  }
}
