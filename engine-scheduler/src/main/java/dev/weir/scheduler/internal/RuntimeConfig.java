package dev.weir.scheduler.internal;

import dev.weir.core.Clock;
import dev.weir.scheduler.DeadLetterHandler;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.Priority;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * Not API: a scheduler's resolved settings, as the builder collected them.
 *
 * <p>Thread-safety: immutable (the maps are copies the builder no longer touches).
 *
 * @param workers worker thread count
 * @param clock the graph clock
 * @param weights band weights
 * @param batchLimit messages per activation
 * @param registry the meter registry, or null for no metrics
 * @param deadLetters the dead-letter handler, or null for the logging default
 * @param seed trace-id and perturbation seed
 * @param pickPerturbation probability of perturbing a pick
 * @param threadFactory the worker thread factory, or null for the default
 * @param priorities per-node bands
 * @param errorPolicies per-node error policies
 * @param defaultErrorPolicy the policy of other nodes
 * @param stopGraphTimeout the drain timeout of STOP_GRAPH
 */
public record RuntimeConfig(
    int workers,
    Clock clock,
    EnumMap<Priority, Integer> weights,
    int batchLimit,
    @Nullable MeterRegistry registry,
    @Nullable DeadLetterHandler deadLetters,
    long seed,
    double pickPerturbation,
    @Nullable ThreadFactory threadFactory,
    Map<String, Priority> priorities,
    Map<String, ErrorPolicy> errorPolicies,
    ErrorPolicy defaultErrorPolicy,
    Duration stopGraphTimeout) {

  /** Returns the error policy of a node. */
  ErrorPolicy errorPolicyOf(String node) {
    return errorPolicies.getOrDefault(node, defaultErrorPolicy);
  }

  /** Returns the band of a node. */
  Priority priorityOf(String node) {
    return priorities.getOrDefault(node, Priority.NORMAL);
  }
}
