package dev.weir.testkit;

import java.util.SplittableRandom;

/**
 * One participant of a stress run: a workload (feeding ingresses, sending CONTROL, reading results)
 * or a failure (breaking the graph). Its runner calls {@link #operate} in a loop, one operation at
 * a time, until the run's exit criteria are met.
 *
 * <p>Thread-safety: each actor instance runs on one thread of its own (in deterministic mode, on
 * the run's driving thread), so an actor's own state needs no locks; state shared between actors,
 * such as a {@link ConservationLedger}, must be thread-safe. No reset happens while an operation
 * runs.
 */
@FunctionalInterface
public interface Actor {

  /**
   * Performs one operation.
   *
   * @param env the run's environment: the running graph and the run's seed
   * @param random this actor's generator, seeded from the run seed and the actor's position, so a
   *     replay with the same seed draws the same values; confined to this actor
   * @return what the operation amounted to
   * @throws Exception a failure: the run stops, is marked failed and writes its artifacts
   */
  Outcome operate(Environment env, SplittableRandom random) throws Exception;
}
