package dev.weir.examples;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's example: a four-node pipeline on two workers, a CONTROL message sent from the
 * application, and a graceful stop with its report.
 *
 * <pre>
 * numbers -> triple -> evens -> sum      (sum also has a "commands" ingress for CONTROL messages)
 * </pre>
 *
 * <p>Run it with {@code mvn -B -ntp -q -pl examples -am -DskipTests package exec:exec}. The summary
 * goes to standard output; the engine's own log lines go to standard error through the module's
 * SLF4J binding (slf4j-simple, runtime scope).
 */
public final class QuickStart {

  private QuickStart() {}

  /**
   * Runs the example and prints what happened.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted while waiting for the graph
   */
  public static void main(String[] args) throws InterruptedException {
    run(System.out);
  }

  /**
   * Runs the example, printing to {@code out}; what {@code QuickStartTest} checks.
   *
   * @param out where the summary goes
   * @throws InterruptedException if interrupted while waiting for the graph
   */
  static void run(PrintStream out) throws InterruptedException {
    // README:begin
    SumSink sum = new SumSink();
    Graph graph =
        Graph.builder("quickstart")
            .add("numbers", Nodes.range(1, 1_000_001))
            .add("triple", Nodes.map(Long.class, Long.class, x -> x * 3))
            .add("evens", Nodes.filter(Long.class, x -> x % 2 == 0))
            .add("sum", sum)
            .connect("numbers.out", "triple.in")
            .connect("triple.out", "evens.in")
            .connect("evens.out", "sum.in", EdgeSpec.of(256, OverflowPolicy.BLOCK))
            .ingress("commands", "sum.commands")
            .build();

    RunningGraph running = Scheduler.builder().workers(2).build().start(graph);
    running.ingress("commands", String.class).offerControl("checkpoint");
    running.awaitDrained(Duration.ofSeconds(30)); // source done, edges empty, nothing runs
    ShutdownReport report = running.stop(Duration.ofSeconds(5));
    // README:end

    out.println(graph.describe());
    out.println("sum of the even multiples of 3 up to 3,000,000: " + sum.total);
    out.println("messages summed: " + sum.count);
    out.println("control messages seen: " + sum.commands);
    out.println(
        "shutdown: "
            + (report.timedOut() ? "timed out" : "clean")
            + ", undelivered: "
            + report.undelivered()
            + ", dead letters: "
            + report.deadLetters());
    for (ShutdownReport.EdgeOutcome edge : report.edges()) {
      out.println("  " + edge.id() + ": delivered " + edge.delivered());
    }
    out.println(report.ledger().render()); // the equations of docs/architecture.md, "Accounting"
  }

  /** Sums the longs it receives; records CONTROL commands. Single-threaded, like every node. */
  static final class SumSink implements Node {
    static final PortSpec<Long> IN = PortSpec.of("in", Long.class);
    static final PortSpec<String> COMMANDS = PortSpec.of("commands", String.class);

    long total;
    long count;
    final List<String> commands = new ArrayList<>();

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(IN, COMMANDS);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      if (input == COMMANDS) {
        commands.add(COMMANDS.cast(message).payload());
      } else {
        total += IN.cast(message).payload();
        count++;
      }
    }
  }
}
