package dev.weir.scheduler.internal;

import dev.weir.core.Clock;
import dev.weir.core.Node;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.Priority;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Builds {@link NodeCell}s with no runtime, as tests-unit's ReadyQueuesTest does: enough for the
 * ready queues (which touch only a cell's queue membership) and for the parts of the scheduling
 * state machine that never push ({@link NodeCell#beginActivation}, and {@link NodeCell#signal} on a
 * cell that is SCHEDULED or RUNNING).
 *
 * <p>Thread-safety: stateless; each call returns a new cell.
 */
final class DetachedCell {

  private static final Node NOOP = (ctx, input, message) -> {};

  static final RuntimeConfig CONFIG =
      new RuntimeConfig(
          1,
          Clock.system(),
          weights(),
          64,
          null,
          null,
          0,
          0,
          null,
          Map.of(),
          Map.of(),
          ErrorPolicy.CONTINUE,
          Duration.ofSeconds(1));

  private DetachedCell() {}

  /** A new cell named {@code name}, IDLE, at the NORMAL band, with no runtime. */
  static NodeCell create(String name) {
    return new NodeCell(0, name, NOOP, null, CONFIG);
  }

  /** The default band weights. */
  static EnumMap<Priority, Integer> weights() {
    EnumMap<Priority, Integer> w = new EnumMap<>(Priority.class);
    w.put(Priority.CONTROL, 8);
    w.put(Priority.HIGH, 4);
    w.put(Priority.NORMAL, 2);
    w.put(Priority.LOW, 1);
    return w;
  }
}
