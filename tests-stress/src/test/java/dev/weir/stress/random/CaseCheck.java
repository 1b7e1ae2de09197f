package dev.weir.stress.random;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One named property every random graph must keep. Each implementation's javadoc says what it
 * checks and which engine guarantee (DESIGN.md) it stands for.
 *
 * <p>Thread-safety: implementations are stateless.
 */
interface CaseCheck {

  /** Every check, in the order a failure report lists them. */
  static List<CaseCheck> all() {
    return List.of(
        new CleanStopCheck(),
        new EngineLedgerCheck(),
        new EdgeConservationCheck(),
        new EndToEndConservationCheck(),
        new FifoPerProducerCheck(),
        new ControlBeforeDataCheck(),
        new DepthWithinCapacityCheck());
  }

  /** Returns the check's name, as failure messages print it. */
  String name();

  /**
   * Checks a finished case.
   *
   * @return null when the property holds, else what broke, with the numbers
   */
  @Nullable String violation(CaseRun run);
}
