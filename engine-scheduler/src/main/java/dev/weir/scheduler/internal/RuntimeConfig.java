package dev.weir.scheduler.internal;

import dev.weir.core.Clock;
import dev.weir.core.Graph;
import dev.weir.core.GraphNode;
import dev.weir.core.NodeOption;
import dev.weir.scheduler.DeadLetterHandler;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.Priority;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
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

  /**
   * Returns this configuration with the options the graph's nodes were added with ({@link
   * GraphNode#options()}) merged in; a setting made by name on the builder wins over a node's own.
   *
   * @param graph the graph about to start
   * @return a configuration whose per-node maps hold both
   * @throws IllegalArgumentException if a node carries an option this scheduler does not read, or
   *     {@link Priority#CONTROL}
   */
  public RuntimeConfig withNodeOptions(Graph graph) {
    Map<String, Priority> bands = new HashMap<>();
    Map<String, ErrorPolicy> policies = new HashMap<>();
    for (GraphNode node : graph.nodes()) {
      for (NodeOption option : node.options()) {
        if (option instanceof ErrorPolicy policy) {
          policies.put(node.name(), policy);
        } else if (option == Priority.CONTROL) {
          throw new IllegalArgumentException(
              "node '"
                  + node.name()
                  + "' is added with Priority.CONTROL, but the CONTROL band is reserved for pending"
                  + " CONTROL messages; give it Priority.HIGH");
        } else if (option instanceof Priority band) {
          bands.put(node.name(), band);
        } else {
          throw new IllegalArgumentException(
              "node '"
                  + node.name()
                  + "' is added with the option "
                  + option
                  + " ("
                  + option.getClass().getName()
                  + "), which the scheduler does not read: it reads ErrorPolicy and Priority;"
                  + " remove the option, or run the graph on the runtime it is meant for");
        }
      }
    }
    if (bands.isEmpty() && policies.isEmpty()) {
      return this;
    }
    bands.putAll(priorities);
    policies.putAll(errorPolicies);
    return new RuntimeConfig(
        workers,
        clock,
        weights,
        batchLimit,
        registry,
        deadLetters,
        seed,
        pickPerturbation,
        threadFactory,
        Map.copyOf(bands),
        Map.copyOf(policies),
        defaultErrorPolicy,
        stopGraphTimeout);
  }

  /** Returns the error policy of a node. */
  ErrorPolicy errorPolicyOf(String node) {
    return errorPolicies.getOrDefault(node, defaultErrorPolicy);
  }

  /** Returns the band of a node. */
  Priority priorityOf(String node) {
    return priorities.getOrDefault(node, Priority.NORMAL);
  }
}
