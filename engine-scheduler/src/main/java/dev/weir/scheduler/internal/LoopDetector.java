package dev.weir.scheduler.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the feedback loops of a running graph: the strongly connected components with more than one
 * node, or one node feeding itself. Iterative Tarjan, so long graphs cannot overflow the stack.
 *
 * <p>Thread-safety: stateless; runs once, at start.
 */
final class LoopDetector {

  private LoopDetector() {}

  /**
   * Returns the loops, each as member indices in ascending (topological) order.
   *
   * @param successors successors[i] lists the nodes node i feeds
   */
  static List<int[]> loops(int[][] successors) {
    int n = successors.length;
    int[] index = new int[n];
    int[] low = new int[n];
    boolean[] onStack = new boolean[n];
    Arrays.fill(index, -1);
    ArrayDeque<Integer> stack = new ArrayDeque<>();
    List<int[]> loops = new ArrayList<>();
    int[] nextIndex = {0};
    int[] edgeCursor = new int[n];
    ArrayDeque<Integer> calls = new ArrayDeque<>();
    for (int root = 0; root < n; root++) {
      if (index[root] >= 0) {
        continue;
      }
      visit(root, index, low, nextIndex, stack, onStack);
      calls.push(root);
      while (!calls.isEmpty()) {
        int v = calls.peek();
        if (edgeCursor[v] < successors[v].length) {
          int w = successors[v][edgeCursor[v]++];
          if (index[w] < 0) {
            visit(w, index, low, nextIndex, stack, onStack);
            calls.push(w);
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
          continue;
        }
        calls.pop();
        if (!calls.isEmpty()) {
          int parent = calls.peek();
          low[parent] = Math.min(low[parent], low[v]);
        }
        if (low[v] == index[v]) {
          List<Integer> component = new ArrayList<>();
          int w;
          do {
            w = stack.pop();
            onStack[w] = false;
            component.add(w);
          } while (w != v);
          if (component.size() > 1 || feedsItself(successors, v)) {
            loops.add(component.stream().mapToInt(Integer::intValue).sorted().toArray());
          }
        }
      }
    }
    return loops;
  }

  private static void visit(
      int v, int[] index, int[] low, int[] next, ArrayDeque<Integer> stack, boolean[] onStack) {
    index[v] = next[0];
    low[v] = next[0];
    next[0]++;
    stack.push(v);
    onStack[v] = true;
  }

  private static boolean feedsItself(int[][] successors, int v) {
    for (int w : successors[v]) {
      if (w == v) {
        return true;
      }
    }
    return false;
  }
}
