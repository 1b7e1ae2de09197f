package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.NodeState;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.testkit.Seeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A retry loop: jobs that fail go back through a feedback edge and are tried again, up to {@value
 * #MAX_ATTEMPTS} attempts. The loop finishes as a whole once the jobs are exhausted, and every job
 * ends exactly once, done or given up, after exactly the attempts its seeded failures call for.
 *
 * <pre>
 *   jobs ──B(16)──► attempt ──ok──────B(16)──► done (slow)
 *                    │  ▲  └──gaveUp──B(16)──► failed
 *           retry    │  │  feedback
 *          B(2048)   ▼  │  B(2048)
 *                   backoff (attempt + 1)
 * </pre>
 *
 * <p>The loop's edges hold every job at once, so the loop cannot deadlock on full BLOCK edges.
 */
class RetryLoopTest {

  private static final int JOBS = 2_000;
  private static final int MAX_ATTEMPTS = 3;

  @RegisterExtension final LogCapture logs = new LogCapture();

  @WorkerCounts
  void retryLoop_completesAndEveryJobEndsOnceAfterItsAttempts(int workers) throws Exception {
    long seed = Seeds.pick();
    List<String> finishes = Collections.synchronizedList(new ArrayList<>());
    Outcomes done = new Outcomes(finishes, 5_000); // slow: attempt also blocks on its ok edge
    Outcomes failed = new Outcomes(finishes, 0);
    Attempt attempt = new Attempt(seed, finishes);
    Graph graph =
        Graph.builder("retry-" + workers)
            .add("jobs", new Jobs(JOBS, finishes))
            .add("attempt", attempt)
            .add("backoff", new Backoff(finishes))
            .add("done", done)
            .add("failed", failed)
            .connect("jobs.out", "attempt.in", EdgeSpec.blocking(16))
            .connect("attempt.retry", "backoff.in", EdgeSpec.blocking(2_048))
            .connect("backoff.out", "attempt.in", EdgeSpec.blocking(2_048).asFeedback())
            .connect("attempt.ok", "done.in", EdgeSpec.blocking(16))
            .connect("attempt.gaveUp", "failed.in", EdgeSpec.blocking(16))
            .build();
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder().workers(workers).seed(seed).deadLetters(dead).build().start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(60)))
          .as(
              "the loop finishes as a whole\n%s\n%s",
              Seeds.replayHint(seed), running.snapshot().render())
          .isTrue();
    } finally {
      report = running.stop(Duration.ofSeconds(10));
    }
    GraphSnapshot after = running.snapshot();
    String context = Seeds.replayHint(seed) + "\n" + after.render() + "finishes: " + finishes;

    List<Job> expectedDone = new ArrayList<>();
    List<Job> expectedFailed = new ArrayList<>();
    long retries = 0;
    for (long id = 0; id < JOBS; id++) {
      int a = 1;
      while (Attempt.fails(seed, id, a) && a < MAX_ATTEMPTS) {
        a++;
      }
      retries += a - 1;
      (Attempt.fails(seed, id, a) ? expectedFailed : expectedDone).add(new Job(id, a));
    }
    assertThat(done.jobs()).as(context).containsExactlyInAnyOrderElementsOf(expectedDone);
    assertThat(failed.jobs()).as(context).containsExactlyInAnyOrderElementsOf(expectedFailed);
    Set<Long> ids = new HashSet<>();
    done.jobs().forEach(j -> ids.add(j.id()));
    failed.jobs().forEach(j -> ids.add(j.id()));
    assertThat(ids).as("every job ended exactly once\n%s", context).hasSize(JOBS);
    assertThat(done.jobs().size() + failed.jobs().size()).isEqualTo(JOBS);
    assertThat(retries).as("the seed makes some jobs retry").isPositive();
    assertThat(after.node("attempt").messages()).as(context).isEqualTo(JOBS + retries);
    assertThat(after.node("backoff").messages()).as(context).isEqualTo(retries);
    assertThat(after.edge("backoff.out->attempt.in").delivered()).as(context).isEqualTo(retries);
    assertThat(after.edge("attempt.retry->backoff.in").delivered()).as(context).isEqualTo(retries);

    List<String> f = List.copyOf(finishes);
    // The loop finishes after the source that feeds it; done and failed follow attempt, their
    // upstream (not necessarily backoff: the loop's members finish in turn, and a consumer whose
    // upstreams are done may finish in between).
    assertThat(f)
        .as("each node finishes once\n%s", context)
        .containsExactlyInAnyOrder("jobs", "attempt", "backoff", "done", "failed");
    assertThat(f.indexOf("jobs")).as(context).isLessThan(f.indexOf("attempt"));
    assertThat(f.indexOf("jobs")).as(context).isLessThan(f.indexOf("backoff"));
    assertThat(f.indexOf("attempt")).as(context).isLessThan(f.indexOf("done"));
    assertThat(f.indexOf("attempt")).as(context).isLessThan(f.indexOf("failed"));
    assertThat(report.nodes())
        .as(context)
        .allSatisfy(n -> assertThat(n.state()).isEqualTo(NodeState.STOPPED));
    assertThat(report.timedOut()).as(context).isFalse();
    assertThat(dead.count()).as(dead.describe()).isZero();
    Ledger.assertClosed(graph, after, report, dead, 0);
  }

  /** A job and the attempt it is on (or ended with). */
  record Job(long id, int attempt) {}

  /** Emits jobs at attempt 1, within demand. */
  static final class Jobs implements SourceNode {
    private final PortSpec<Job> out = PortSpec.of("out", Job.class);
    private final long total;
    private final List<String> finishes;
    private long next;

    Jobs(long total, List<String> finishes) {
      this.total = total;
      this.finishes = finishes;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public boolean pull(NodeContext ctx) {
      int demand = ctx.demand(out);
      for (int i = 0; i < demand && next < total; i++) {
        ctx.emit(out, new Job(next++, 1));
      }
      return next < total;
    }

    @Override
    public void onFinish(NodeContext ctx) {
      finishes.add(ctx.nodeName());
    }
  }

  /** Tries a job: seeded failures go to "retry" until the last attempt, then to "gaveUp". */
  static final class Attempt implements Node {
    private final PortSpec<Job> in = PortSpec.of("in", Job.class);
    private final PortSpec<Job> ok = PortSpec.of("ok", Job.class);
    private final PortSpec<Job> retry = PortSpec.of("retry", Job.class);
    private final PortSpec<Job> gaveUp = PortSpec.of("gaveUp", Job.class);
    private final long seed;
    private final List<String> finishes;

    Attempt(long seed, List<String> finishes) {
      this.seed = seed;
      this.finishes = finishes;
    }

    /** About 40% of attempts fail, decided by seed, job and attempt alone. */
    static boolean fails(long seed, long id, int attempt) {
      return new SplittableRandom(seed ^ (id * 0x9E3779B97F4A7C15L) ^ (attempt * 0xC2B2AE3DL))
              .nextInt(10)
          < 4;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(ok, retry, gaveUp);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      Message<Job> m = in.cast(message);
      Job job = m.payload();
      if (!fails(seed, job.id(), job.attempt())) {
        ctx.emit(ok, m);
      } else if (job.attempt() < MAX_ATTEMPTS) {
        ctx.emit(retry, m);
      } else {
        ctx.emit(gaveUp, m);
      }
    }

    @Override
    public void onFinish(NodeContext ctx) {
      finishes.add(ctx.nodeName());
    }
  }

  /** Sends a failed job back for its next attempt. */
  static final class Backoff implements Node {
    private final PortSpec<Job> in = PortSpec.of("in", Job.class);
    private final PortSpec<Job> out = PortSpec.of("out", Job.class);
    private final List<String> finishes;

    Backoff(List<String> finishes) {
      this.finishes = finishes;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      Message<Job> m = in.cast(message);
      ctx.emit(out, m.withPayload(new Job(m.payload().id(), m.payload().attempt() + 1)));
    }

    @Override
    public void onFinish(NodeContext ctx) {
      finishes.add(ctx.nodeName());
    }
  }

  /** Collects the jobs that end here. */
  static final class Outcomes implements Node {
    private final PortSpec<Job> in = PortSpec.of("in", Job.class);
    private final List<Job> jobs = Collections.synchronizedList(new ArrayList<>());
    private final List<String> finishes;
    private final long workNanos;

    Outcomes(List<String> finishes, long workNanos) {
      this.finishes = finishes;
      this.workNanos = workNanos;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      BusyWork.spin(workNanos);
      jobs.add(in.cast(message).payload());
    }

    @Override
    public void onFinish(NodeContext ctx) {
      finishes.add(ctx.nodeName());
    }

    List<Job> jobs() {
      synchronized (jobs) {
        return List.copyOf(jobs);
      }
    }
  }
}
