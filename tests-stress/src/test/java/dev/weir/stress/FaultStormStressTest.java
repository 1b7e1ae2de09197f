package dev.weir.stress;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.core.Subgraph;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import dev.weir.testkit.Checkers;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.RunRecord;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.fault.Fault;
import dev.weir.testkit.fault.FaultChecks;
import dev.weir.testkit.fault.FaultPlan;
import dev.weir.testkit.junit.SuiteScale;
import dev.weir.testkit.junit.WeirTest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Error paths under a storm of faults: 10% of the messages of two restarting stages throw, a third
 * stage stops for good ({@code STOP_NODE}) part-way, a few messages stall their worker, and the
 * feeders restart the whole graph at random moments. Four feeders and two auditors push through
 * ingresses on two workers; smoke scale sends 4,000 messages, nightly 200,000.
 *
 * <pre>
 *   feeder ×4 ─► in ──B(16)──► storm/parse ──B(8)──► storm/enrich ──B(8)──► sink
 *                              restart, 10% throw     restart, 10% throw, 0.2% stall 1 ms
 *   auditor ×2 ─► audit ──B(16)──► storm/audit ──B(8)──► auditSink
 *                                  STOP_NODE at its 300th message; an auditor that then meets
 *                                  the closed ingress restarts the whole graph
 * </pre>
 *
 * <p>Guards against the bug class "error paths lose or keep messages": a failed message that is
 * neither delivered nor dead-lettered (a hole in the conservation ledger), a dead letter the
 * handler got that the engine's books do not count, or one counted but never handed over (a leak in
 * the dead-letter path), a shutdown ledger that does not balance after restarts and node stops, and
 * a graph that does not drain once the faults stop (the liveness phase). Safety is judged over the
 * storm, liveness after it; a fault that never fired fails the run (NOT_EXERCISED).
 *
 * <p>Replay a failure with the command its message starts with; the run's folder under {@code
 * target/weir-reports/} holds the seed, the snapshot and the reports.
 */
@WeirTest
class FaultStormStressTest {

  record Job(long id) {}

  @Test
  void faultStorm_throwsRestartsAndStops_loseNothingAndDrain(long seed) {
    SuiteScale scale = StressReports.scale();
    long messages = scale.pick(4_000L, 200_000L);
    ConservationLedger<Job> ledger = ConservationLedger.of(Job.class, Job::id);
    Map<DeadLetter.Reason, AtomicLong> handed = new EnumMap<>(DeadLetter.Reason.class);
    for (DeadLetter.Reason r : DeadLetter.Reason.values()) {
      handed.put(r, new AtomicLong());
    }
    AtomicLong ids = new AtomicLong();
    Fault parseThrows = Fault.throwWithProbability("parse throws 10%", 0.10);
    Fault enrichThrows = Fault.throwWithProbability("enrich throws 10%", 0.10);
    Fault enrichStalls = Fault.delayWithProbability("enrich stalls 0.2%", 0.002, ms(1));
    Fault auditStops = Fault.throwAt("audit stops at 300", 300);
    FaultPlan plan = FaultPlan.of(parseThrows, enrichThrows, enrichStalls, auditStops);
    // A graph reset every ~1,500 feeder operations: a few per smoke run, ~130 per nightly run.
    double resetChance = 1.0 / 1_500;

    // The storm's nodes fail on purpose thousands of times and the checks count every failure;
    // every node logs through the one logger dev.weir.node, quiet while the storm runs.
    Logger nodes = (Logger) LoggerFactory.getLogger("dev.weir.node");
    Level before = nodes.getLevel();
    nodes.setLevel(Level.OFF);
    StressResult result;
    try {
      result = storm(seed, messages, ledger, handed, ids, plan, resetChance);
    } finally {
      nodes.setLevel(before);
    }
    StressReports.record(result).assertPassed();
  }

  private static StressResult storm(
      long seed,
      long messages,
      ConservationLedger<Job> ledger,
      Map<DeadLetter.Reason, AtomicLong> handed,
      AtomicLong ids,
      FaultPlan plan,
      double resetChance) {
    List<Fault> f = plan.faults();
    Fault parseThrows = f.get(0);
    Fault enrichThrows = f.get(1);
    Fault enrichStalls = f.get(2);
    Fault auditStops = f.get(3);
    return StressTest.named("fault-storm")
        .graph(() -> graph(plan, parseThrows, enrichThrows, enrichStalls, auditStops, ledger))
        .scheduler(
            b ->
                b.workers(2)
                    .deadLetters(
                        letter -> {
                          handed.get(letter.reason()).incrementAndGet();
                          ledger.deadLettered(letter);
                        }))
        .actors(
            "feeder",
            4,
            (env, random) -> {
              if (random.nextDouble() < resetChance) {
                return Outcome.RESET;
              }
              Job job = new Job(ids.getAndIncrement());
              OfferResult sent = env.ingress("in", Job.class).put(job, Duration.ofSeconds(30));
              return ledger.offered(job, sent) ? Outcome.COUNTED : Outcome.NOT_COUNTED;
            })
        .actors(
            "auditor",
            2,
            (env, random) -> {
              Job job = new Job(ids.getAndIncrement());
              OfferResult sent = env.ingress("audit", Job.class).put(job, Duration.ofSeconds(30));
              if (sent.status() == OfferStatus.CLOSED) {
                // storm/audit stopped (STOP_NODE closed its input): restart the whole graph.
                return Outcome.RESET;
              }
              return ledger.offered(job, sent) ? Outcome.COUNTED : Outcome.NOT_COUNTED;
            })
        .operations(messages)
        .duration(Duration.ofMinutes(2))
        .seed(seed)
        .ledger(ledger)
        .faults(plan)
        .liveness(Duration.ofSeconds(30))
        .check("engine ledger", FaultChecks.balancedLedgers())
        .check("restarted", FaultChecks.restarted("storm/parse", 1))
        .check("audit stopped", auditStopped())
        .check("dead letters handed = counted", deadLettersAccounted(handed))
        .check("clean stop", Checkers.cleanShutdown())
        .artifacts(StressReports.root())
        .run();
  }

  private static Graph graph(
      FaultPlan plan,
      Fault parseThrows,
      Fault enrichThrows,
      Fault enrichStalls,
      Fault auditStops,
      ConservationLedger<Job> ledger) {
    ErrorPolicy restart = ErrorPolicy.restart(1_000_000, Duration.ofMinutes(1));
    Subgraph storm =
        Subgraph.builder()
            .add("parse", plan.wrap(Nodes.map(Job.class, Job.class, j -> j), parseThrows), restart)
            .add(
                "enrich",
                plan.wrap(Nodes.map(Job.class, Job.class, j -> j), enrichThrows, enrichStalls),
                restart)
            .add(
                "audit",
                plan.wrap(Nodes.map(Job.class, Job.class, j -> j), auditStops),
                ErrorPolicy.STOP_NODE)
            .connect("parse.out", "enrich.in", EdgeSpec.blocking(8))
            .exposeInput("in", "parse.in")
            .exposeOutput("out", "enrich.out")
            .exposeInput("audit", "audit.in")
            .exposeOutput("audited", "audit.out")
            .build();
    return Graph.builder("fault-storm")
        .add("storm", storm)
        .add("sink", Nodes.sink(Job.class, ledger::delivered))
        .add("auditSink", Nodes.sink(Job.class, ledger::delivered))
        .connect("storm.out", "sink.in", EdgeSpec.blocking(8))
        .connect("storm.audited", "auditSink.in", EdgeSpec.blocking(8))
        .ingress("in", "storm.in", EdgeSpec.blocking(16))
        .ingress("audit", "storm.audit", EdgeSpec.blocking(16))
        .build();
  }

  /** The STOP_NODE stage did stop, in at least one graph: the fault reached the policy. */
  private static Checker auditStopped() {
    return run -> {
      long stopped =
          run.incarnations().stream()
              .filter(
                  inc -> {
                    GraphSnapshot.NodeView audit = inc.afterStop().node("storm/audit");
                    return audit != null && audit.errors() > 0;
                  })
              .count();
      String detail = stopped + " of " + run.incarnations().size() + " graphs stopped storm/audit";
      return stopped > 0 ? CheckResult.valid(detail) : CheckResult.unknown(detail);
    };
  }

  /**
   * Every dead letter the handler received is one the engine counted, reason by reason, and the
   * other way round: a dead letter counted but never handed over, or handed over twice, is a leak
   * in the error path.
   */
  private static Checker deadLettersAccounted(Map<DeadLetter.Reason, AtomicLong> handed) {
    return (RunRecord run) -> {
      StringBuilder off = new StringBuilder();
      long total = 0;
      for (DeadLetter.Reason reason : DeadLetter.Reason.values()) {
        long counted = 0;
        for (RunRecord.Incarnation inc : run.incarnations()) {
          counted += inc.report().deadLetters(reason);
        }
        long got = handed.get(reason).get();
        total += got;
        if (counted != got) {
          off.append(
              String.format(
                  "%s: the reports count %d, the handler got %d; ", reason, counted, got));
        }
      }
      return off.length() == 0
          ? CheckResult.valid(total + " dead letters, each counted once by reason")
          : CheckResult.invalid(off.toString());
    };
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
