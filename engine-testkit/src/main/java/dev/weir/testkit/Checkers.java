package dev.weir.testkit;

import dev.weir.testkit.internal.ShutdownReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Ready-made checkers that need no recorder. The ledger and order checkers come from {@link
 * ConservationLedger#checker()} and {@link DeliveryOrder}; resource growth from {@link
 * LeakDetector#checker()}.
 *
 * <p>Thread-safety: stateless factories; the checkers they return are immutable.
 */
public final class Checkers {

  private Checkers() {}

  /**
   * Returns a checker of a custom invariant of the run.
   *
   * @param description what must hold, in words: the detail of the verdict
   * @param holds the invariant
   * @return a checker: VALID if {@code holds} returns {@code true}, INVALID if {@code false},
   *     UNKNOWN if it throws
   */
  public static Checker invariant(String description, Predicate<RunRecord> holds) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(holds, "holds");
    return run ->
        holds.test(run)
            ? CheckResult.valid(description)
            : CheckResult.invalid("broken: " + description);
  }

  /**
   * Returns a checker that every stop of the run (each reset's and the last) was clean: it did not
   * time out and reported no stop failure.
   *
   * @return the checker
   */
  public static Checker cleanShutdown() {
    return run -> {
      List<String> problems = new ArrayList<>();
      for (RunRecord.Incarnation inc : run.incarnations()) {
        problems.addAll(ShutdownReading.problems(inc.report()));
      }
      if (run.incarnations().isEmpty()) {
        return CheckResult.unknown("no graph was stopped");
      }
      return problems.isEmpty()
          ? CheckResult.valid(run.incarnations().size() + " stops, all clean")
          : CheckResult.invalid(String.join("; ", problems));
    };
  }
}
