package dev.weir.stress.random;

import dev.weir.core.Graph;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.stress.random.CaseModel.IngressModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one case left behind for the checks: the model, the built graph, each node's and feeder's
 * records, the dead letters, the shutdown report, what the watcher saw while it ran (snapshot depth
 * violations, a hang) and the threads left after the stop.
 *
 * <p>Thread-safety: built by the case's watching thread after every other thread of the case ended;
 * read-only afterwards.
 *
 * @param model the case
 * @param graph the graph built from it
 * @param nodes its nodes, by index
 * @param feeders its application threads' records, by stream
 * @param deadLetters every dead letter the scheduler handed over
 * @param report the stop's report; null if the stop threw
 * @param depthViolations edges seen deeper than their capacity, with the snapshot that showed it
 * @param hang what the no-progress detector saw, or null if the case never stalled
 * @param snapshot the last snapshot taken, rendered
 * @param threadsLeft worker threads of the graph still alive after the stop
 * @param stillRunning whether the graph said it was running after the stop
 */
record CaseRun(
    CaseModel model,
    Graph graph,
    List<HopNode> nodes,
    List<Feeder> feeders,
    List<DeadLetter> deadLetters,
    @Nullable ShutdownReport report,
    List<String> depthViolations,
    @Nullable String hang,
    String snapshot,
    List<String> threadsLeft,
    boolean stillRunning) {

  /** Returns node indexes by qualified name. */
  Map<String, Integer> indexByName() {
    Map<String, Integer> out = new HashMap<>();
    for (HopNode n : nodes) {
      out.put(n.model().name(), n.model().index());
    }
    return out;
  }

  /** Returns the feeders of one ingress. */
  List<Feeder> feedersOf(IngressModel ingress) {
    List<Feeder> out = new ArrayList<>();
    for (int f = 0; f < ingress.feeders(); f++) {
      out.add(feeders.get(ingress.firstFeeder() + f));
    }
    return out;
  }

  /** Returns the ingress a feeder stream belongs to. */
  IngressModel ingressOfStream(int stream) {
    int feeder = -1 - stream;
    for (IngressModel i : model.ingresses()) {
      if (feeder >= i.firstFeeder() && feeder < i.firstFeeder() + i.feeders()) {
        return i;
      }
    }
    throw new IllegalArgumentException("no ingress has feeder stream " + stream);
  }

  /** Returns the sequence numbers of the CONTROL tokens a stream sent, ascending. */
  List<Long> controlSeqs(int stream) {
    return stream >= 0 ? nodes.get(stream).controlSeqs : feeders.get(-1 - stream).controlSeqs;
  }
}
