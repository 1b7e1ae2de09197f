package dev.weir.stress.random;

import dev.weir.core.EdgeSpec;
import dev.weir.core.OverflowPolicy;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.Priority;
import dev.weir.stress.random.CaseModel.EdgeModel;
import dev.weir.stress.random.CaseModel.IngressModel;
import dev.weir.stress.random.CaseModel.NodeModel;
import dev.weir.stress.random.CaseModel.Unit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws a {@link CaseModel} from a case seed. The shapes: a chain, a diamond, a fan-out to several
 * sinks, a fan-in from several ingresses, a chain through subgraphs nested up to 20 deep, and a
 * random DAG; any non-sink unit of any shape may itself be a chain nested in subgraphs. Every edge
 * draws a capacity (1 to 64, small ones favoured) and a policy (every policy, keyed COALESCE with
 * each fallback; FAIL only where the producer has one edge); every node an error policy, a band,
 * and maybe a fault (throws at a rate, or parks its worker now and then).
 *
 * <p>The model depends on the seed alone (not on the scale or the machine), so {@code
 * -Dweir.random.case=SEED} rebuilds exactly the case that failed.
 *
 * <p>Thread-safety: stateless.
 */
final class CaseGenerator {

  private static final int[] CAPACITIES = {1, 1, 2, 3, 4, 8, 16, 64};

  /** The bands a node may be given (CONTROL is reserved for pending CONTROL messages). */
  private static final Priority[] BANDS = {Priority.HIGH, Priority.NORMAL, Priority.LOW};

  private CaseGenerator() {}

  /** Returns the case of a seed. */
  static CaseModel generate(long seed) {
    return new Drawing(new SplittableRandom(seed), seed).draw();
  }

  /** One drawing: units and unit edges first, then their expansion into nodes and edges. */
  private static final class Drawing {
    private final SplittableRandom random;
    private final long seed;
    private final List<Integer> unitDepth = new ArrayList<>(); // 0: a hop; -1: a sink; n: nested
    private final List<int[]> unitEdges = new ArrayList<>();
    private final List<Integer> ingressUnits = new ArrayList<>();

    Drawing(SplittableRandom random, long seed) {
      this.random = random;
      this.seed = seed;
    }

    CaseModel draw() {
      String shape = drawShape();
      List<NodeModel> nodes = new ArrayList<>();
      List<Unit> units = new ArrayList<>();
      for (int u = 0; u < unitDepth.size(); u++) {
        int depth = unitDepth.get(u);
        List<Integer> members = new ArrayList<>();
        if (depth <= 0) {
          String name = (depth < 0 ? "sink" : "h") + nodes.size();
          members.add(nodes.size());
          nodes.add(node(nodes.size(), name, depth < 0));
          units.add(new Unit(name, members, false));
        } else {
          String unitName = "n" + u;
          String prefix = unitName + "/";
          for (int level = 0; level < depth; level++) {
            String name = prefix + "h" + nodes.size();
            members.add(nodes.size());
            nodes.add(node(nodes.size(), name, false));
            prefix = prefix + "s/";
          }
          units.add(new Unit(unitName, members, true));
        }
      }
      List<EdgeModel> edges = new ArrayList<>();
      for (Unit u : units) {
        for (int i = 1; i < u.nodes().size(); i++) {
          edges.add(new EdgeModel(u.nodes().get(i - 1), u.nodes().get(i), edgeSpec()));
        }
      }
      for (int[] e : unitEdges) {
        edges.add(new EdgeModel(units.get(e[0]).last(), units.get(e[1]).first(), edgeSpec()));
      }
      edges = allowFailOnlyOnSingleEdges(edges);
      List<IngressModel> ingresses = new ArrayList<>();
      int feeder = 0;
      for (int i = 0; i < ingressUnits.size(); i++) {
        int feeders = 1 + random.nextInt(3);
        int messages = 10 + random.nextInt(random.nextInt(8) == 0 ? 1_500 : 300);
        ingresses.add(
            new IngressModel(
                "in" + i,
                units.get(ingressUnits.get(i)).first(),
                edgeSpec(),
                feeder,
                feeders,
                messages,
                random.nextInt(3) == 0 ? 0 : 0.02 + random.nextDouble() * 0.1,
                random.nextBoolean(),
                random.nextInt(3) == 0 ? 0.5 : 0));
        feeder += feeders;
      }
      int workers = new int[] {1, 2, 4}[random.nextInt(3)];
      int batch = new int[] {1, 4, 64, 256}[random.nextInt(4)];
      double perturbation = random.nextInt(4) == 0 ? 0.2 : 0;
      return new CaseModel(
          seed,
          shape,
          workers,
          batch,
          perturbation,
          nodes,
          edges,
          ingresses,
          List.copyOf(units),
          null);
    }

    private String drawShape() {
      switch (random.nextInt(6)) {
        case 0 -> {
          int length = 1 + random.nextInt(6);
          int previous = -1;
          for (int i = 0; i < length; i++) {
            int u = addUnit(true);
            link(previous, u);
            previous = u;
          }
          link(previous, addSink());
          ingressUnits.add(0);
          return "chain";
        }
        case 1 -> {
          int top = addUnit(true);
          int left = addUnit(true);
          int right = addUnit(true);
          int bottom = addUnit(true);
          link(top, left);
          link(top, right);
          link(left, bottom);
          link(right, bottom);
          link(bottom, addSink());
          ingressUnits.add(top);
          return "diamond";
        }
        case 2 -> {
          int root = addUnit(true);
          int width = 2 + random.nextInt(4);
          for (int i = 0; i < width; i++) {
            int branch = addUnit(true);
            link(root, branch);
            link(branch, addSink());
          }
          ingressUnits.add(root);
          return "fan-out";
        }
        case 3 -> {
          int width = 2 + random.nextInt(3);
          List<Integer> heads = new ArrayList<>();
          for (int i = 0; i < width; i++) {
            int head = addUnit(true);
            heads.add(head);
            ingressUnits.add(head);
          }
          int merge = addUnit(false);
          for (int head : heads) {
            link(head, merge);
          }
          link(merge, addSink());
          return "fan-in";
        }
        case 4 -> {
          int before = addUnit(false);
          unitDepth.add(2 + random.nextInt(19));
          int nest = unitDepth.size() - 1;
          int after = addUnit(false);
          link(before, nest);
          link(nest, after);
          link(after, addSink());
          ingressUnits.add(before);
          return "nested";
        }
        default -> {
          int count = 3 + random.nextInt(8);
          List<Integer> members = new ArrayList<>();
          boolean[] hasOut = new boolean[count];
          for (int i = 0; i < count; i++) {
            members.add(addUnit(true));
          }
          for (int i = 1; i < count; i++) {
            int inputs = 1 + random.nextInt(2);
            int first = random.nextInt(i);
            link(members.get(first), members.get(i));
            hasOut[first] = true;
            if (inputs == 2 && i > 1) {
              int second = random.nextInt(i);
              if (second != first) {
                link(members.get(second), members.get(i));
                hasOut[second] = true;
              }
            }
          }
          int sink = addSink();
          for (int i = 0; i < count; i++) {
            if (!hasOut[i]) {
              link(members.get(i), sink);
            }
          }
          ingressUnits.add(members.get(0));
          if (count > 3 && random.nextInt(3) == 0) {
            ingressUnits.add(members.get(1 + random.nextInt(count - 1)));
          }
          return "dag";
        }
      }
    }

    private int addUnit(boolean mayNest) {
      unitDepth.add(mayNest && random.nextInt(7) == 0 ? 1 + random.nextInt(6) : 0);
      return unitDepth.size() - 1;
    }

    private int addSink() {
      unitDepth.add(-1);
      return unitDepth.size() - 1;
    }

    private void link(int from, int to) {
      if (from >= 0) {
        unitEdges.add(new int[] {from, to});
      }
    }

    private NodeModel node(int index, String name, boolean sink) {
      double throwRate = 0;
      ErrorPolicy policy = ErrorPolicy.CONTINUE;
      if (random.nextInt(6) == 0) {
        throwRate = new double[] {0.005, 0.02, 0.1}[random.nextInt(3)];
        policy =
            switch (random.nextInt(8)) {
              case 0, 1, 2 -> ErrorPolicy.CONTINUE;
              case 3, 4 -> ErrorPolicy.restart(1 + random.nextInt(1_000), Duration.ofMinutes(1));
              case 5, 6 -> ErrorPolicy.STOP_NODE;
              default -> ErrorPolicy.STOP_GRAPH;
            };
      }
      boolean slow = random.nextInt(8) == 0;
      Priority priority =
          random.nextInt(4) == 0 ? BANDS[random.nextInt(BANDS.length)] : Priority.NORMAL;
      return new NodeModel(
          index,
          name,
          sink,
          policy,
          priority,
          throwRate,
          slow ? 0.01 + random.nextDouble() * 0.1 : 0,
          slow ? 20 + random.nextInt(500) : 0);
    }

    private EdgeSpec edgeSpec() {
      int capacity = CAPACITIES[random.nextInt(CAPACITIES.length)];
      OverflowPolicy policy =
          switch (random.nextInt(20)) {
            case 0, 1 -> OverflowPolicy.DROP;
            case 2, 3 -> OverflowPolicy.LATEST;
            case 4, 5 -> OverflowPolicy.<Token>coalesce(Token::merge);
            case 6, 7 -> OverflowPolicy.<Token>coalesce(Token::merge, Token::key);
            case 8 ->
                OverflowPolicy.<Token>coalesce(Token::merge, Token::key, OverflowPolicy.LATEST);
            case 9 -> OverflowPolicy.<Token>coalesce(Token::merge, Token::key, OverflowPolicy.DROP);
            case 10 -> OverflowPolicy.FAIL;
            default -> OverflowPolicy.BLOCK;
          };
      EdgeSpec spec = EdgeSpec.of(capacity, policy);
      return random.nextInt(4) == 0 ? spec.withControlCapacity(1 + random.nextInt(3)) : spec;
    }

    /**
     * A FAIL edge makes the producer's emit throw, and the producer's other edges would then see a
     * partial emit that the checks cannot attribute; FAIL stays where the producer has one edge.
     */
    private static List<EdgeModel> allowFailOnlyOnSingleEdges(List<EdgeModel> edges) {
      List<EdgeModel> out = new ArrayList<>();
      for (EdgeModel e : edges) {
        long siblings = edges.stream().filter(o -> o.from() == e.from()).count();
        if (e.spec().policy().kind() == OverflowPolicy.Kind.FAIL && siblings > 1) {
          out.add(
              new EdgeModel(
                  e.from(),
                  e.to(),
                  EdgeSpec.of(e.spec().capacity(), OverflowPolicy.BLOCK)
                      .withControlCapacity(e.spec().controlCapacity())));
        } else {
          out.add(e);
        }
      }
      return out;
    }
  }
}
