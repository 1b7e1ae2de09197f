package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.testkit.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Topological order and cycle detection on random and very large graphs. Random graphs come from
 * one seed, printed at the start with the command that replays it.
 */
class GraphTopologyTest {

  private static final int ROUNDS = 300;
  private static long seed;

  @BeforeAll
  static void pickSeed() {
    String property = System.getProperty("weir.seed", "");
    seed = property.isBlank() ? System.nanoTime() : Long.parseLong(property.trim());
    System.out.println("GraphTopologyTest seed=" + seed + " (" + Seeds.replayHint(seed) + ")");
  }

  /** A node whose one input is optional, so any node may be a source or fan in from many. */
  private static Node vertex() {
    return PortsNode.create().in(PortSpec.of("in", Long.class).optional()).out("out", Long.class);
  }

  /** Edges of a random DAG over n nodes: i -> j only when rank[i] < rank[j]. */
  private static List<int[]> randomDag(Random random, int n) {
    List<Integer> rank = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rank.add(i);
    }
    Collections.shuffle(rank, random);
    double density = random.nextDouble() * 0.3;
    List<int[]> edges = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (rank.get(i) < rank.get(j) && random.nextDouble() < density) {
          edges.add(new int[] {i, j});
        }
      }
    }
    Collections.shuffle(edges, random);
    return edges;
  }

  private static GraphBuilder builder(int n, List<int[]> edges) {
    GraphBuilder builder = Graph.builder("random");
    for (int i = 0; i < n; i++) {
      builder.add("n" + i, vertex());
    }
    for (int[] edge : edges) {
      builder.connect("n" + edge[0] + ".out", "n" + edge[1] + ".in");
    }
    return builder;
  }

  @Test
  void topologicalOrder_randomDags_respectsEveryEdgeAndPrefersEarlierNodes() {
    Random random = new Random(seed);
    for (int round = 0; round < ROUNDS; round++) {
      int n = 1 + random.nextInt(30);
      List<int[]> edges = randomDag(random, n);
      List<String> order = builder(n, edges).build().topologicalOrder();

      Map<String, Integer> position = new HashMap<>();
      order.forEach(name -> position.put(name, position.size()));
      assertThat(position).hasSize(n);
      for (int[] edge : edges) {
        assertThat(position.get("n" + edge[0])).isLessThan(position.get("n" + edge[1]));
      }
      assertThat(order).isEqualTo(smallestFirstOrder(n, edges));
    }
  }

  /** The reference: repeatedly take the lowest-numbered node whose predecessors are all placed. */
  private static List<String> smallestFirstOrder(int n, List<int[]> edges) {
    Set<Integer> placed = new HashSet<>();
    List<String> order = new ArrayList<>();
    while (placed.size() < n) {
      for (int candidate = 0; candidate < n; candidate++) {
        int c = candidate;
        boolean ready =
            !placed.contains(c)
                && edges.stream().noneMatch(e -> e[1] == c && !placed.contains(e[0]));
        if (ready) {
          placed.add(c);
          order.add("n" + c);
          break;
        }
      }
    }
    return order;
  }

  @Test
  void build_randomDagWithOneEdgeReversed_failsUnlessThatEdgeIsFeedback() {
    Random random = new Random(seed + 1);
    for (int round = 0; round < ROUNDS; round++) {
      int n = 2 + random.nextInt(30);
      List<int[]> edges = randomDag(random, n);
      if (edges.isEmpty()) {
        continue;
      }
      int[] closing = edges.get(random.nextInt(edges.size()));
      String back = "n" + closing[1] + ".out";
      String front = "n" + closing[0] + ".in";

      assertThatThrownBy(builder(n, edges).connect(back, front)::build)
          .isInstanceOf(GraphValidationException.class)
          .hasMessageContaining("has no feedback edge");
      Graph graph =
          builder(n, edges).connect(back, front, EdgeSpec.defaults().asFeedback()).build();
      assertThat(graph.topologicalOrder()).hasSize(n);
    }
  }

  private static GraphBuilder chain(int length) {
    GraphBuilder builder = Graph.builder("chain");
    for (int i = 0; i < length; i++) {
      builder.add("n" + i, vertex());
      if (i > 0) {
        builder.connect("n" + (i - 1) + ".out", "n" + i + ".in");
      }
    }
    return builder;
  }

  @Test
  void build_chainOf100kNodes_ordersItWithoutRecursion() {
    Graph graph = chain(100_000).build();

    assertThat(graph.topologicalOrder()).hasSize(100_000).startsWith("n0", "n1").endsWith("n99999");
  }

  @Test
  void build_cycleOf100kNodes_isReportedInShortenedForm() {
    GraphBuilder builder = chain(100_000).connect("n99999.out", "n0.in");

    assertThatThrownBy(builder::build)
        .isInstanceOf(GraphValidationException.class)
        .hasMessageContaining("cycle n0 -> n1 -> n2")
        .hasMessageContaining("-> n20 -> ... 99979 more ... -> n0 has no feedback edge")
        .hasMessageContaining("declare n99999.out->n0.in with");
  }
}
