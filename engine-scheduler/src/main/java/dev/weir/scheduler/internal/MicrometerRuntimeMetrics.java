package dev.weir.scheduler.internal;

import dev.weir.core.Clock;
import dev.weir.core.Edge;
import dev.weir.core.EdgeStats;
import dev.weir.scheduler.Priority;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Weir's meters in a Micrometer registry. The names are listed once, in {@code
 * docs/architecture.md#metrics}; every meter carries a {@code graph} tag.
 *
 * <p>Counters the engine keeps anyway (edge outcomes, node activations) are registered as function
 * counters and gauges that read them on scrape, so the hot path pays nothing for them. Only the
 * timers (busy time, queue wait, tick lateness, control latency) record on the hot path, and only
 * when metrics are on. Meters are removed from the registry when the graph stops, so a graph
 * restarted under the same name starts from fresh meters.
 *
 * <p>Thread-safety: thread-safe (Micrometer meters are).
 */
final class MicrometerRuntimeMetrics implements RuntimeMetrics {

  private final MeterRegistry registry;
  private final Clock clock;
  private final Tags graphTag;
  private final List<Meter> meters = new ArrayList<>();
  private final Timer queueWait;
  private final Timer tickLateness;
  private final Timer controlLatency;

  /** Makes "is this graph name free in the registry, then take it" one step across graphs. */
  private static final Object NAMES = new Object();

  private static final String LOOP_LATENCY = "weir.scheduler.loop.latency";

  /**
   * Registers the graph's first meters.
   *
   * @throws IllegalStateException if a running graph of the same name reports to the registry
   */
  MicrometerRuntimeMetrics(MeterRegistry registry, Clock clock, String graph) {
    this.registry = registry;
    this.clock = clock;
    this.graphTag = Tags.of("graph", graph);
    synchronized (NAMES) {
      // Micrometer hands a second registration of the same name and tags the first one's meter
      // (gauges and function counters of the second are ignored), so two running graphs of one
      // name would share meters and the first to stop would remove the other's.
      if (registry.find(LOOP_LATENCY).tags(graphTag).meter() != null) {
        throw new IllegalStateException(
            "a running graph named '"
                + graph
                + "' already reports to this MeterRegistry: its meters would be shared with this"
                + " one and removed when either stops. Give each running graph its own name, or"
                + " its own registry");
      }
      this.queueWait =
          keep(
              Timer.builder(LOOP_LATENCY)
                  .description("time a ready node waited in its band before a worker ran it")
                  .tags(graphTag)
                  .register(registry));
    }
    this.tickLateness =
        keep(
            Timer.builder("weir.scheduler.tick.lateness")
                .description("how late ticks fired after their due time")
                .tags(graphTag)
                .register(registry));
    this.controlLatency =
        keep(
            Timer.builder("weir.scheduler.control.latency")
                .description("time from a CONTROL message's creation to its onMessage")
                .tags(graphTag)
                .register(registry));
  }

  private <M extends Meter> M keep(M meter) {
    meters.add(meter);
    return meter;
  }

  void bindEdge(Edge<?> edge) {
    Tags tags = graphTag.and("edge", edge.id());
    // EdgeStats.accepted includes the offers that evicted: counted once, under "evicted".
    offers(edge, tags, "accepted", s -> s.accepted() - s.evicted());
    offers(edge, tags, "evicted", EdgeStats::evicted);
    offers(edge, tags, "coalesced", EdgeStats::coalesced);
    offers(edge, tags, "blocked", EdgeStats::blocked);
    offers(edge, tags, "dropped", EdgeStats::dropped);
    offers(edge, tags, "failed", EdgeStats::failed);
    offers(edge, tags, "rejected", EdgeStats::rejected);
    offers(edge, tags, "closed", EdgeStats::closed);
    keep(
        FunctionCounter.builder("weir.edge.delivered", edge, e -> e.stats().delivered())
            .description("messages handed to the consumer")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder("weir.edge.depth", edge, Edge::depth)
            .description("DATA messages queued")
            .tags(tags)
            .register(registry));
    keep(
        Gauge.builder("weir.edge.high.water.mark", edge, e -> e.stats().highWaterMark())
            .description("largest DATA depth seen")
            .tags(tags)
            .register(registry));
  }

  private void offers(Edge<?> edge, Tags tags, String result, ToDoubleFunction<EdgeStats> count) {
    keep(
        FunctionCounter.builder("weir.edge.offers", edge, e -> count.applyAsDouble(e.stats()))
            .description("offers to the edge by outcome")
            .tags(tags.and("result", result))
            .register(registry));
  }

  void bindNode(NodeCell cell) {
    Tags tags = graphTag.and("node", cell.name);
    nodeCounter(cell, tags, "weir.node.activations", NodeCounters.ACTIVATIONS, "times it ran");
    nodeCounter(cell, tags, "weir.node.messages", NodeCounters.MESSAGES, "messages it processed");
    nodeCounter(cell, tags, "weir.node.errors", NodeCounters.ERRORS, "exceptions its hooks threw");
    nodeCounter(cell, tags, "weir.node.restarts", NodeCounters.RESTARTS, "restarts");
    keep(
        FunctionCounter.builder("weir.node.ticks.missed", cell, NodeCell::missedTicksView)
            .description("interval boundaries that passed without a tick of their own")
            .tags(tags)
            .register(registry));
    nodeCounter(cell, tags, "weir.node.ticks", NodeCounters.TICKS, "ticks delivered to onTick");
    keep(
        FunctionCounter.builder(
                "weir.node.busy.time", cell, c -> c.counter(NodeCounters.BUSY_NANOS) / 1e9)
            .description("time spent running the node's activations")
            .baseUnit("seconds")
            .tags(tags)
            .register(registry));
  }

  private void nodeCounter(NodeCell cell, Tags tags, String name, int counter, String what) {
    keep(
        FunctionCounter.builder(name, cell, c -> c.counter(counter))
            .description(what)
            .tags(tags)
            .register(registry));
  }

  void bindScheduler(ReadyQueues queues, GraphRuntime runtime) {
    for (Priority band : Priority.values()) {
      keep(
          Gauge.builder("weir.scheduler.ready.depth", queues, q -> q.depths().get(band))
              .description("nodes waiting in the ready queue of a band")
              .tags(graphTag.and("band", band.name().toLowerCase(Locale.ROOT)))
              .register(registry));
    }
    keep(
        FunctionCounter.builder("weir.graph.dead.letters", runtime, GraphRuntime::deadLetters)
            .description("messages handed to the dead-letter handler")
            .tags(graphTag)
            .register(registry));
  }

  @Override
  public long now() {
    return clock.nanoTime();
  }

  @Override
  public void busySince(NodeCell cell, long start) {
    cell.addBusyNanos(clock.nanoTime() - start);
  }

  @Override
  public void queueWaitSince(long queuedAt) {
    queueWait.record(clock.nanoTime() - queuedAt, TimeUnit.NANOSECONDS);
  }

  @Override
  public void tickLateness(long nanos) {
    tickLateness.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void controlDeliveredSince(long createdNanos) {
    controlLatency.record(clock.nanoTime() - createdNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    for (Meter meter : meters) {
      registry.remove(meter);
    }
    meters.clear();
  }
}
