package dev.weir.stress.random;

import dev.weir.core.EdgeSpec;
import dev.weir.core.OverflowPolicy;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.Priority;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One generated case: the graph (nodes in topological order, edges from a lower to a higher index,
 * ingresses), how it is fed, the scheduler it runs on and the faults it meets. Everything here
 * follows from the case seed ({@link CaseGenerator#generate}), so the seed alone rebuilds it.
 *
 * <p>Thread-safety: immutable.
 *
 * @param seed the case seed
 * @param shape the shape family (chain, diamond, fan-out, fan-in, nested, dag)
 * @param workers scheduler workers: 1, 2 or 4
 * @param batchLimit the scheduler's batch limit
 * @param perturbation the scheduler's pick perturbation (0: plain FIFO within a band)
 * @param nodes every node, in topological order; {@code index} is the position
 * @param edges every node-to-node edge
 * @param ingresses every ingress
 * @param units how the nodes group into top-level units (a hop, or a chain nested in subgraphs)
 * @param planted a planted bug, for the test that proves the checks bite; null in real runs
 */
record CaseModel(
    long seed,
    String shape,
    int workers,
    int batchLimit,
    double perturbation,
    List<NodeModel> nodes,
    List<EdgeModel> edges,
    List<IngressModel> ingresses,
    List<Unit> units,
    @Nullable Planted planted) {

  /** What a test-only hop does wrong, to prove a check catches it. */
  enum PlantedBug {
    /** Counts one message as emitted but never hands it to the engine: a lost message. */
    LOSE_ONE,
    /** Numbers two messages in order and emits them swapped: a reordering. */
    SWAP_TWO,
    /** Never returns from its third message until the run gives up on the case: a hang. */
    HANG
  }

  /**
   * A planted bug at one node.
   *
   * @param node the node's index
   * @param bug what it does wrong
   */
  record Planted(int node, PlantedBug bug) {}

  /**
   * One node.
   *
   * @param index position in topological order
   * @param name qualified name in the built graph
   * @param sink whether it has no output
   * @param policy its error policy
   * @param priority its band
   * @param throwRate probability that a message makes it throw
   * @param slowRate probability that a message makes it park its worker for {@code slowMicros}
   * @param slowMicros how long a slow message takes
   */
  record NodeModel(
      int index,
      String name,
      boolean sink,
      ErrorPolicy policy,
      Priority priority,
      double throwRate,
      double slowRate,
      int slowMicros) {}

  /**
   * One node-to-node edge.
   *
   * @param from producer index
   * @param to consumer index
   * @param spec capacity and policy
   */
  record EdgeModel(int from, int to, EdgeSpec spec) {}

  /**
   * One ingress and the application threads that feed it.
   *
   * @param name the ingress name
   * @param target the index of the node it feeds
   * @param spec capacity and policy of its edge
   * @param firstFeeder the stream number of its first feeder (streams are numbered over the case)
   * @param feeders how many application threads feed it
   * @param messages how many messages each feeder sends
   * @param controlRate the share of CONTROL messages among them
   * @param blockingPut whether feeders wait in {@code put} or try {@code offer} first
   * @param batchRate the share of DATA tokens sent in batches ({@code offerAll}, {@code putAll})
   */
  record IngressModel(
      String name,
      int target,
      EdgeSpec spec,
      int firstFeeder,
      int feeders,
      int messages,
      double controlRate,
      boolean blockingPut,
      double batchRate) {}

  /**
   * A top-level unit: one node, or a chain of nodes nested {@code nodes.size()} subgraphs deep.
   *
   * @param name the name it is added under
   * @param nodes the indexes of its nodes, outermost first
   * @param nested whether it is a nested chain
   */
  record Unit(String name, List<Integer> nodes, boolean nested) {
    int first() {
      return nodes.get(0);
    }

    int last() {
      return nodes.get(nodes.size() - 1);
    }
  }

  /** Returns the same case with a planted bug. */
  CaseModel withPlanted(Planted bug) {
    return new CaseModel(
        seed, shape, workers, batchLimit, perturbation, nodes, edges, ingresses, units, bug);
  }

  /** Returns the edges out of a node. */
  List<EdgeModel> edgesFrom(int node) {
    List<EdgeModel> out = new ArrayList<>();
    for (EdgeModel e : edges) {
      if (e.from() == node) {
        out.add(e);
      }
    }
    return out;
  }

  /** Returns the total number of feeder streams. */
  int feederCount() {
    int n = 0;
    for (IngressModel i : ingresses) {
      n += i.feeders();
    }
    return n;
  }

  /**
   * Whether nothing in the case may lose or dead-letter a message: the end-to-end count is exact.
   */
  boolean lossless() {
    for (NodeModel n : nodes) {
      if (n.throwRate() > 0) {
        return false;
      }
    }
    for (EdgeModel e : edges) {
      if (lossy(e.spec())) {
        return false;
      }
    }
    for (IngressModel i : ingresses) {
      if (lossy(i.spec())) {
        return false;
      }
    }
    return true;
  }

  private static boolean lossy(EdgeSpec spec) {
    return spec.policy().isLossy() || spec.policy().kind() == OverflowPolicy.Kind.FAIL;
  }

  /** Returns the one-line description printed after the case's seed. */
  String describe() {
    Map<String, Integer> policies = new TreeMap<>();
    int minCapacity = Integer.MAX_VALUE;
    for (EdgeModel e : edges) {
      policies.merge(policyName(e.spec().policy()), 1, Integer::sum);
      minCapacity = Math.min(minCapacity, e.spec().capacity());
    }
    StringBuilder faults = new StringBuilder();
    for (NodeModel n : nodes) {
      if (n.throwRate() > 0 || n.slowRate() > 0) {
        faults.append(faults.length() == 0 ? "" : ",").append(n.name());
        if (n.throwRate() > 0) {
          faults.append(":throw ").append(Math.round(n.throwRate() * 100)).append("% ");
          faults.append(n.policy());
        }
        if (n.slowRate() > 0) {
          faults.append(":slow ").append(n.slowMicros()).append("us");
        }
      }
    }
    StringBuilder feeds = new StringBuilder();
    for (IngressModel i : ingresses) {
      feeds
          .append(feeds.length() == 0 ? "" : ",")
          .append(i.feeders())
          .append('x')
          .append(i.messages())
          .append(' ')
          .append(policyName(i.spec().policy()))
          .append('/')
          .append(i.spec().capacity())
          .append(i.batchRate() > 0 ? " batches" : "");
    }
    int nested = 0;
    for (Unit u : units) {
      nested = Math.max(nested, u.nested() ? u.nodes().size() : 0);
    }
    return shape
        + " nodes="
        + nodes.size()
        + " edges="
        + edges.size()
        + (nested > 0 ? " nestedDepth=" + nested : "")
        + " workers="
        + workers
        + " batch="
        + batchLimit
        + (perturbation > 0 ? " perturbation=" + perturbation : "")
        + " ingress=["
        + feeds
        + "] policies="
        + policies
        + (edges.isEmpty() ? "" : " minCapacity=" + minCapacity)
        + " faults=["
        + faults
        + "]"
        + (planted == null ? "" : " PLANTED " + planted);
  }

  /** A short policy name for descriptions. */
  static String policyName(OverflowPolicy p) {
    if (p.kind() != OverflowPolicy.Kind.COALESCE) {
      return p.kind().name();
    }
    OverflowPolicy fallback = p.fallback();
    return fallback == null ? "COALESCE" : "KEYED-" + fallback.kind().name();
  }
}
