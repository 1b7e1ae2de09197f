package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OfferStatus;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The engine's lifecycle and error lines carry their subjects as SLF4J 2 key/value pairs, for a
 * JSON encoder to index, and the dead-letter line names producer, edge and consumer.
 *
 * <pre>
 *   ingress:in ──► validate ──┬──► agg      (throws on 2: CONTINUE)
 *                             ├──► flaky    (throws on 3: restart)
 *                             └──► fragile  (throws on 4: STOP_NODE)
 * </pre>
 *
 * <p>Regression test for issue 14 points 5 and 12: the lines had no key/value pairs, and the
 * dead-letter line read "dead letter from node agg (edge validate.out->agg.in)", naming the
 * consumer as the sender.
 */
class EngineLogKeyValuesTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void lifecycleAndErrorLines_carryGraphNodeEdgeTraceIdAndReason() throws Exception {
    Graph graph =
        Graph.builder("kv")
            .add("validate", Nodes.map(Long.class, Long.class, x -> x))
            .add("agg", Nodes.sink(Long.class, x -> failOn(2, x)))
            .add("flaky", Nodes.sink(Long.class, x -> failOn(3, x)))
            .add("fragile", Nodes.sink(Long.class, x -> failOn(4, x)))
            .ingress("in", "validate.in")
            .connect("validate.out", "agg.in")
            .connect("validate.out", "flaky.in")
            .connect("validate.out", "fragile.in")
            .build();
    RunningGraph running =
        Scheduler.builder()
            .errorPolicy("flaky", ErrorPolicy.restart(5, Duration.ofMinutes(1)))
            .errorPolicy("fragile", ErrorPolicy.STOP_NODE)
            .build()
            .start(graph);
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      for (long x = 1; x <= 5; x++) {
        assertThat(in.put(x, LONG).status()).isEqualTo(OfferStatus.ACCEPTED);
      }
      assertThat(running.awaitQuiescence(LONG)).isTrue();
    } finally {
      running.stop(LONG);
    }
    String context = logs.describe();

    assertThat(keyValues(only("graph-started", null)))
        .containsEntry("graph", "kv")
        .containsEntry("nodes", 4)
        .containsEntry("workers", 1);
    assertThat(keyValues(only("graph-stopping", null))).containsEntry("graph", "kv");
    assertThat(keyValues(only("graph-stopped", null)))
        .containsEntry("graph", "kv")
        .containsEntry("timedOut", false)
        .containsEntry("balanced", true);

    ILoggingEvent failed = only("node-failed", "agg");
    assertThat(failed.getLevel()).isEqualTo(Level.WARN);
    assertThat(keyValues(failed))
        .as(context)
        .containsEntry("graph", "kv")
        .containsEntry("edge", "validate.out->agg.in")
        .containsEntry("hook", "onMessage")
        .containsKey("traceId");
    assertThat(failed.getFormattedMessage())
        .startsWith("node agg failed in onMessage on port 'in'");

    assertThat(keyValues(only("node-restarting", "flaky"))).containsEntry("graph", "kv");
    ILoggingEvent stopped = only("node-stopped", "fragile");
    assertThat(stopped.getLevel()).isEqualTo(Level.ERROR);
    assertThat(keyValues(stopped))
        .containsEntry("graph", "kv")
        .containsEntry("reason", "its error policy is STOP_NODE");

    ILoggingEvent letter = only("dead-letter", "agg");
    Object traceId = keyValues(failed).get("traceId");
    assertThat(keyValues(letter))
        .as(context)
        .containsEntry("graph", "kv")
        .containsEntry("edge", "validate.out->agg.in")
        .containsEntry("producer", "validate")
        .containsEntry("consumer", "agg")
        .containsEntry("reason", "NODE_FAILED")
        .containsEntry("traceId", traceId);
    assertThat(letter.getFormattedMessage())
        .startsWith(
            "dead letter at node agg (consumer) from edge validate.out->agg.in (producer"
                + " validate): NODE_FAILED, trace "
                + traceId
                + ", Message[");
  }

  /**
   * A node's own lines ({@code NodeContext.logger()}) go to the one logger {@code dev.weir.node}
   * with the node's name as the pair {@code node}, whether logged with placeholders or with the
   * fluent API (whose own pairs are kept), and the binding keeps no logger per node name.
   *
   * <p>Regression: each node got a logger named {@code dev.weir.node.<name>}, which the SLF4J
   * binding keeps for the life of the JVM: after a 100,000-node graph stopped, 100,003 loggers (18
   * MB) stayed reachable, and an application building graphs with fresh node names leaked.
   */
  @Test
  void nodeLogger_linesCarryTheNodeAsAPair_andNoLoggerPerNodeNameOutlivesTheGraph()
      throws Exception {
    String fresh = "tenant-" + System.nanoTime();
    var builder = Graph.builder("node-logs");
    for (int i = 0; i < 200; i++) {
      String name = fresh + "-" + i;
      builder.add(
          name,
          new Node() {
            @Override
            public void onStart(NodeContext ctx) {
              ctx.logger().info("started {} of {}", ctx.nodeName(), 200);
              ctx.logger().atInfo().addKeyValue("tenant", fresh).log("fluent");
            }

            @Override
            public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {}
          });
    }
    Scheduler.builder().build().start(builder.build()).stop(LONG);

    String first = fresh + "-0";
    List<ILoggingEvent> lines =
        logs.events(e -> first.equals(keyValues(e).get("node")) && e.getLevel() == Level.INFO);
    assertThat(lines).as(logs.describe()).hasSize(2);
    assertThat(lines.get(0).getLoggerName()).isEqualTo("dev.weir.node");
    assertThat(lines.get(0).getFormattedMessage()).isEqualTo("started " + first + " of 200");
    assertThat(lines.get(1).getLoggerName()).isEqualTo("dev.weir.node");
    assertThat(keyValues(lines.get(1))).containsEntry("tenant", fresh).containsEntry("node", first);

    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(context.getLoggerList())
        .as("loggers named after a node")
        .noneMatch(l -> l.getName().contains(fresh));
  }

  private static void failOn(long bad, long x) {
    if (x == bad) {
      throw new IllegalArgumentException("bad reading " + x);
    }
  }

  /** The one captured event with this "event" key (and "node" key, unless null). */
  private ILoggingEvent only(String event, String node) {
    List<ILoggingEvent> matching =
        logs.events(
            e -> {
              Map<String, Object> kv = keyValues(e);
              return event.equals(kv.get("event")) && (node == null || node.equals(kv.get("node")));
            });
    assertThat(matching).as("%s of node %s\n%s", event, node, logs.describe()).hasSize(1);
    return matching.get(0);
  }

  private static Map<String, Object> keyValues(ILoggingEvent event) {
    return LogCapture.keyValues(event);
  }
}
