package dev.weir.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.core.OfferResult;
import dev.weir.core.Subgraph;
import dev.weir.testkit.Checkers;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.DeliveryOrder;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.junit.SuiteScale;
import dev.weir.testkit.junit.WeirTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Composition depth: subgraphs nested 100 deep (1,000 at nightly scale), each level one map node
 * around the next level, fed from two application threads through the outermost exposed port.
 *
 * <p>Guards against recursion in exposure, validation, wiring or naming that grows with the depth
 * (a {@link StackOverflowError} while building or starting the graph) and against a message lost or
 * reordered on its way through every level: the conservation ledger, per-feeder FIFO and a clean
 * stop must all hold.
 *
 * <p>Replay a failure with the command its message starts with; the run's folder under {@code
 * target/weir-reports/} holds the seed, the snapshot and the reports.
 */
@WeirTest
class NestedSubgraphsStressTest {

  record Token(long id, String feeder, long seq) {}

  @Test
  void subgraphsNestedDeep_passEveryMessageInOrder(long seed) {
    SuiteScale scale = StressReports.scale();
    int depth = scale.pick(100, 1_000);
    ConservationLedger<Token> ledger = ConservationLedger.of(Token.class, Token::id);
    DeliveryOrder order = DeliveryOrder.create();
    AtomicLong ids = new AtomicLong();
    ThreadLocal<long[]> seq = ThreadLocal.withInitial(() -> new long[1]);

    StressResult result =
        StressReports.record(
            StressTest.named("nested-subgraphs-" + depth)
                .graph(
                    () -> {
                      Subgraph level = level(0, null);
                      for (int i = 1; i < depth; i++) {
                        level = level(i, level);
                      }
                      return Graph.builder("nested")
                          .add("outer", level)
                          .add(
                              "sink",
                              Nodes.sink(
                                  Token.class,
                                  t -> {
                                    ledger.delivered(t);
                                    order.delivered(t.feeder(), t.seq(), false);
                                  }))
                          .connect("outer.out", "sink.in", EdgeSpec.blocking(16))
                          .ingress("in", "outer.in", EdgeSpec.blocking(16))
                          .build();
                    })
                .scheduler(b -> b.workers(2).deadLetters(ledger.deadLetters()))
                .actors(
                    "feeder",
                    2,
                    (env, random) -> {
                      Token t =
                          new Token(
                              ids.getAndIncrement(),
                              Thread.currentThread().getName(),
                              seq.get()[0]++);
                      OfferResult sent =
                          env.ingress("in", Token.class).put(t, Duration.ofSeconds(30));
                      return ledger.offered(t, sent) ? Outcome.COUNTED : Outcome.NOT_COUNTED;
                    })
                .operations(scale.pick(2_000L, 20_000L))
                .duration(Duration.ofMinutes(2))
                .seed(seed)
                .ledger(ledger)
                .check("fifo", order.fifo())
                .check("clean stop", Checkers.cleanShutdown())
                .artifacts(StressReports.root())
                .run());

    result.assertPassed();
    assertThat(result.run().last().graph().nodes()).hasSize(depth + 1);
  }

  /** One level: a map node, around the previous level when there is one. */
  private static Subgraph level(int index, @Nullable Subgraph inner) {
    var b = Subgraph.builder().add("hop" + index, Nodes.map(Token.class, Token.class, t -> t));
    if (inner == null) {
      return b.exposeInput("in", "hop" + index + ".in")
          .exposeOutput("out", "hop" + index + ".out")
          .build();
    }
    return b.add("inner", inner)
        .connect("hop" + index + ".out", "inner.in", EdgeSpec.blocking(4))
        .exposeInput("in", "hop" + index + ".in")
        .exposeOutput("out", "inner.out")
        .build();
  }
}
