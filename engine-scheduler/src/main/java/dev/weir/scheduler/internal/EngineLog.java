package dev.weir.scheduler.internal;

import dev.weir.core.Message;
import dev.weir.core.TraceIds;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.ShutdownReport;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Not API: the engine's lifecycle and error lines (graph started, stopping, stopped; node failed,
 * restarting, stopped; dead letter). Each is a readable sentence that also carries its subjects as
 * SLF4J 2 key/value pairs ({@code graph}, {@code node}, {@code edge}, {@code producer}, {@code
 * consumer}, {@code traceId}, {@code reason}, ...), so a JSON encoder (logstash-logback-encoder,
 * Logback's {@code JsonEncoder}) indexes them as fields.
 *
 * <p>Every method returns at once when its level is off, before it formats anything: dead letters
 * and node failures can come in bursts, and their lines must cost nothing when nobody reads them.
 *
 * <p>Thread-safety: stateless; SLF4J loggers are thread-safe.
 */
final class EngineLog {

  /** The logger of the default dead-letter handler; a deployment can route or mute it by name. */
  static final Logger DEAD_LETTERS = LoggerFactory.getLogger("dev.weir.deadletters");

  private EngineLog() {}

  static void graphStarted(
      Logger log, String graph, int nodes, int edges, int ingresses, int workers) {
    if (!log.isInfoEnabled()) {
      return;
    }
    log.atInfo()
        .addKeyValue("graph", graph)
        .addKeyValue("event", "graph-started")
        .addKeyValue("nodes", nodes)
        .addKeyValue("edges", edges)
        .addKeyValue("workers", workers)
        .log(
            "graph '{}' started: {} nodes, {} edges, {} ingress, {} worker(s)",
            graph,
            nodes,
            edges,
            ingresses,
            workers);
  }

  static void graphStopping(Logger log, String graph, Duration timeout) {
    if (!log.isInfoEnabled()) {
      return;
    }
    log.atInfo()
        .addKeyValue("graph", graph)
        .addKeyValue("event", "graph-stopping")
        .addKeyValue("timeoutMillis", timeout.toMillis())
        .log("graph '{}' stopping (timeout {})", graph, timeout);
  }

  /** The stop's summary: the ledger's verdict included, so a log alone shows whether it adds up. */
  static void graphStopped(Logger log, ShutdownReport report) {
    boolean clean = !report.timedOut() && report.stopFailures().isEmpty();
    if (clean ? !log.isInfoEnabled() : !log.isWarnEnabled()) {
      return;
    }
    ShutdownReport.Ledger ledger = report.ledger();
    (clean ? log.atInfo() : log.atWarn())
        .addKeyValue("graph", report.graph())
        .addKeyValue("event", "graph-stopped")
        .addKeyValue("timedOut", report.timedOut())
        .addKeyValue("undelivered", report.undelivered())
        .addKeyValue("deadLetters", report.deadLetters())
        .addKeyValue("balanced", ledger.balanced())
        .log(
            "graph '{}' stopped{} in {} ms; {} undelivered, {} dead letters; {}",
            report.graph(),
            report.timedOut() ? " after its drain TIMED OUT" : "",
            report.elapsed().toMillis(),
            report.undelivered(),
            report.deadLetters(),
            ledger.render());
  }

  /** A hook threw; the error policy applies next. */
  static void nodeFailed(
      Logger log,
      String graph,
      String node,
      String hook,
      @Nullable EdgeLink from,
      @Nullable Message<?> message,
      Object policy,
      Throwable failure) {
    if (!log.isWarnEnabled()) {
      return;
    }
    LoggingEventBuilder event =
        log.atWarn()
            .addKeyValue("graph", graph)
            .addKeyValue("node", node)
            .addKeyValue("event", "node-failed")
            .addKeyValue("hook", hook)
            .addKeyValue("policy", String.valueOf(policy));
    if (from != null) {
      event = event.addKeyValue("edge", from.id);
    }
    if (message != null) {
      event = event.addKeyValue("traceId", TraceIds.format(message.traceId()));
    }
    event
        .setCause(failure)
        .log(
            "node {} failed in {}{}{}; policy {}: {}",
            node,
            hook,
            from == null
                ? ""
                : " on port '" + from.consumerPort.name() + "' (edge " + from.id + ")",
            message == null ? "" : " for trace " + TraceIds.format(message.traceId()),
            policy,
            failure.toString());
  }

  static void nodeRestarting(
      Logger log, String graph, String node, int restart, int budget, Duration window) {
    if (!log.isWarnEnabled()) {
      return;
    }
    log.atWarn()
        .addKeyValue("graph", graph)
        .addKeyValue("node", node)
        .addKeyValue("event", "node-restarting")
        .addKeyValue("restart", restart)
        .log("restarting node {} ({} of {} within {})", node, restart, budget, window);
  }

  /** A node stopped for good by its error policy. */
  static void nodeStopped(Logger log, String graph, String node, String why, Throwable cause) {
    if (!log.isErrorEnabled()) {
      return;
    }
    log.atError()
        .addKeyValue("graph", graph)
        .addKeyValue("node", node)
        .addKeyValue("event", "node-stopped")
        .addKeyValue("reason", why)
        .log("stopping node {}: {} (after {})", node, why, cause.toString());
  }

  /**
   * The default dead-letter handler's line. It names the node the letter is about and its role, and
   * the edge with both its ends, so a reader never mistakes the consumer for the sender.
   */
  static void deadLetter(String graph, DeadLetter d, @Nullable EdgeLink link) {
    Logger log = DEAD_LETTERS;
    if (!log.isWarnEnabled()) {
      return;
    }
    String producer = link == null ? null : producerName(link);
    String consumer = link == null ? null : link.consumer.name;
    boolean atProducer = d.reason() == DeadLetter.Reason.PRODUCER_FAILED;
    String traceId = TraceIds.format(d.message().traceId());
    LoggingEventBuilder event =
        log.atWarn()
            .addKeyValue("graph", graph)
            .addKeyValue("node", d.node())
            .addKeyValue("event", "dead-letter")
            .addKeyValue("reason", d.reason().name())
            .addKeyValue("traceId", traceId);
    if (d.edgeId() != null) {
      event = event.addKeyValue("edge", d.edgeId());
    }
    if (producer != null) {
      event = event.addKeyValue("producer", producer);
    }
    if (consumer != null) {
      event = event.addKeyValue("consumer", consumer);
    }
    String where;
    if (link == null) {
      where = "dead letter at node " + d.node() + " (edge " + d.edgeId() + ")";
    } else if (atProducer) {
      where =
          "dead letter at node "
              + d.node()
              + " (producer) on edge "
              + link.id
              + " (consumer "
              + consumer
              + ")";
    } else {
      where =
          "dead letter at node "
              + d.node()
              + " (consumer) from edge "
              + link.id
              + " (producer "
              + producer
              + ")";
    }
    Throwable cause = d.cause();
    event.log(
        "{}: {}, trace {}, {}{}",
        where,
        d.reason(),
        traceId,
        d.message(),
        cause == null ? "" : "; cause: " + cause);
  }

  /** The producing node's name, or {@code ingress:<name>} for an ingress edge. */
  static String producerName(EdgeLink link) {
    NodeCell producer = link.producer;
    if (producer != null) {
      return producer.name;
    }
    IngressGate<?> gate = link.ingress;
    return "ingress:" + (gate == null ? "?" : gate.name());
  }
}
