package dev.weir.stress.random;

import dev.weir.scheduler.ShutdownReport;
import org.jspecify.annotations.Nullable;

/**
 * "engine ledger": the {@link ShutdownReport#ledger()} balances (every accounting equation of
 * docs/architecture.md holds on the report's own numbers) with nothing pending. Guards against
 * counter drift in the engine's books: an outcome counted twice or not at all, dead letters that
 * the edges and the nodes count differently.
 */
final class EngineLedgerCheck implements CaseCheck {

  @Override
  public String name() {
    return "engine ledger";
  }

  @Override
  public @Nullable String violation(CaseRun run) {
    ShutdownReport report = run.report();
    if (report == null) {
      return "no shutdown report";
    }
    ShutdownReport.Ledger ledger = report.ledger();
    if (!ledger.balanced() || !ledger.pending().isEmpty()) {
      return ledger.render();
    }
    return null;
  }
}
