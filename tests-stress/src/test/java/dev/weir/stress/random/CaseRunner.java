package dev.weir.stress.random;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.GraphEdge;
import dev.weir.core.GraphIngress;
import dev.weir.core.Subgraph;
import dev.weir.core.SubgraphBuilder;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.stress.random.CaseModel.EdgeModel;
import dev.weir.stress.random.CaseModel.IngressModel;
import dev.weir.stress.random.CaseModel.NodeModel;
import dev.weir.stress.random.CaseModel.Unit;
import dev.weir.testkit.Seeds;
import dev.weir.testkit.WorkerThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one {@link CaseModel}: builds its graph, starts it on its scheduler, feeds it from its
 * application threads, waits for it to drain while a {@link NoProgressDetector} watches the
 * counters, stops it, and hands everything to the checks as a {@link CaseRun}. A case that stops
 * making progress is stopped at once, its snapshot kept; nothing in a case waits on a deadline.
 *
 * <p>Thread-safety: one case at a time per instance; the caller's thread watches the case.
 */
final class CaseRunner {

  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_VIOLATIONS = 5;

  private final Duration stallWindow;

  CaseRunner(Duration stallWindow) {
    this.stallWindow = stallWindow;
  }

  /** Runs a case on a graph of the given name. */
  CaseRun run(CaseModel model, String graphName) throws InterruptedException {
    AtomicBoolean abort = new AtomicBoolean();
    List<HopNode> nodes = new ArrayList<>();
    for (NodeModel n : model.nodes()) {
      CaseModel.Planted planted = model.planted();
      nodes.add(
          new HopNode(
              n,
              model.seed(),
              planted != null && planted.node() == n.index() ? planted.bug() : null,
              abort));
    }
    Graph graph = build(model, graphName, nodes);
    Map<String, Integer> capacities = new HashMap<>();
    Map<String, Integer> controlCapacities = new HashMap<>();
    for (GraphEdge e : graph.edges()) {
      capacities.put(e.id(), e.spec().capacity());
      controlCapacities.put(e.id(), e.spec().controlCapacity());
    }
    for (GraphIngress i : graph.ingresses()) {
      capacities.put(i.id(), i.spec().capacity());
      controlCapacities.put(i.id(), i.spec().controlCapacity());
    }
    ConcurrentLinkedQueue<DeadLetter> letters = new ConcurrentLinkedQueue<>();
    RunningGraph running =
        Scheduler.builder()
            .workers(model.workers())
            .batchLimit(model.batchLimit())
            .pickPerturbation(model.perturbation())
            .seed(model.seed())
            .deadLetters(letters::add)
            .build()
            .start(graph);
    List<Feeder> feeders = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (IngressModel in : model.ingresses()) {
      for (int f = 0; f < in.feeders(); f++) {
        int index = in.firstFeeder() + f;
        Feeder feeder =
            new Feeder(
                in,
                index,
                running.ingress(in.name(), Token.class),
                Seeds.derive(model.seed(), index),
                abort);
        feeders.add(feeder);
        threads.add(new Thread(feeder, "weir-random-" + graphName + "-feeder-" + index));
      }
    }
    threads.forEach(Thread::start);

    NoProgressDetector detector = new NoProgressDetector(stallWindow);
    List<String> depth = new ArrayList<>();
    String hang = null;
    GraphSnapshot last = running.snapshot();
    boolean fed = false;
    while (hang == null) {
      if (!fed) {
        fed = joined(threads, POLL);
      } else if (running.awaitDrained(POLL) || !running.isRunning()) {
        break;
      }
      last = running.snapshot();
      checkDepth(last, capacities, controlCapacities, depth);
      long external = running.progress();
      for (Feeder f : feeders) {
        external += f.progress();
      }
      if (detector.stalled(NoProgressDetector.signature(last, external))
          && (!fed || last.hasPendingWork())) {
        hang = (fed ? "draining: " : "feeding: ") + detector.describe();
      }
    }
    abort.set(true);
    ShutdownReport report = running.stop(STOP_TIMEOUT);
    for (Thread t : threads) {
      t.join();
    }
    List<String> left = WorkerThreads.named("weir-" + graphName + "-worker-");
    return new CaseRun(
        model,
        graph,
        nodes,
        feeders,
        List.copyOf(letters),
        report,
        depth,
        hang,
        last.render(),
        left,
        running.isRunning());
  }

  private static boolean joined(List<Thread> threads, Duration wait) throws InterruptedException {
    for (Thread t : threads) {
      if (t.isAlive()) {
        t.join(wait.toMillis());
        return !anyAlive(threads);
      }
    }
    return true;
  }

  private static boolean anyAlive(List<Thread> threads) {
    for (Thread t : threads) {
      if (t.isAlive()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Records every edge a snapshot shows deeper than its capacity (data or CONTROL lane), or with a
   * high-water mark above it. No edge is exempt. (Case seed -5954748055628188735, run seed
   * -3658556871175478917, case 4950, found a COALESCE ingress of capacity 1 at depth 2: when a
   * merge and a CONTROL offer raced one poll, the consumer held the merged message outside the
   * ring, so that CONTROL went first, and the producer refilled the ring meanwhile. The held
   * message now keeps its slot; see CoalescingRingEdge.)
   */
  static void checkDepth(
      GraphSnapshot snapshot,
      Map<String, Integer> capacities,
      Map<String, Integer> controlCapacities,
      List<String> violations) {
    for (GraphSnapshot.EdgeView e : snapshot.edges()) {
      Integer capacity = capacities.get(e.id());
      Integer control = controlCapacities.get(e.id());
      if (capacity == null || control == null || violations.size() >= MAX_VIOLATIONS) {
        continue;
      }
      if (e.stats().depth() > capacity
          || e.stats().highWaterMark() > capacity
          || e.stats().controlDepth() > control) {
        violations.add(
            "edge "
                + e.id()
                + " capacity "
                + capacity
                + " (control "
                + control
                + ") showed "
                + e.stats());
      }
    }
  }

  /** Builds the graph: top-level units, each a node or a chain nested in subgraphs. */
  static Graph build(CaseModel model, String graphName, List<HopNode> nodes) {
    GraphBuilder b = Graph.builder(graphName);
    Map<Integer, Unit> unitOf = new HashMap<>();
    for (Unit u : model.units()) {
      for (int n : u.nodes()) {
        unitOf.put(n, u);
      }
      if (u.nested()) {
        b.add(u.name(), nest(model, u, 0, nodes));
      } else {
        NodeModel n = model.nodes().get(u.first());
        b.add(u.name(), nodes.get(u.first()), n.policy(), n.priority());
      }
    }
    for (EdgeModel e : model.edges()) {
      Unit from = unitOf.get(e.from());
      Unit to = unitOf.get(e.to());
      if (from != to) {
        b.connect(from.name() + ".out", to.name() + ".in", e.spec());
      }
    }
    for (IngressModel in : model.ingresses()) {
      b.ingress(in.name(), unitOf.get(in.target()).name() + ".in", in.spec());
    }
    return b.build();
  }

  /** Level {@code level} of a nested chain: its node, around the next level if there is one. */
  private static Subgraph nest(CaseModel model, Unit unit, int level, List<HopNode> nodes) {
    int index = unit.nodes().get(level);
    NodeModel n = model.nodes().get(index);
    String local = "h" + index;
    SubgraphBuilder b = Subgraph.builder().add(local, nodes.get(index), n.policy(), n.priority());
    if (level == unit.nodes().size() - 1) {
      return b.exposeInput("in", local + ".in").exposeOutput("out", local + ".out").build();
    }
    return b.add("s", nest(model, unit, level + 1, nodes))
        .connect(local + ".out", "s.in", specOf(model, index, unit.nodes().get(level + 1)))
        .exposeInput("in", local + ".in")
        .exposeOutput("out", "s.out")
        .build();
  }

  private static EdgeSpec specOf(CaseModel model, int from, int to) {
    for (EdgeModel e : model.edges()) {
      if (e.from() == from && e.to() == to) {
        return e.spec();
      }
    }
    throw new IllegalStateException("no edge " + from + "->" + to);
  }
}
