package dev.weir.stress.random;

import dev.weir.stress.random.CaseModel.EdgeModel;
import dev.weir.stress.random.CaseModel.IngressModel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * "end-to-end conservation": follows each id the application sent to the sinks. A message fans out
 * into one copy per path from its ingress to a sink, and a COALESCE edge carries merged ids on
 * inside the surviving token, so each sink must see each id at most as many times as there are
 * paths to it (never more: no duplicate, and never an id that was not sent); when the case can lose
 * nothing (no lossy or FAIL edge, no fault) it must see it exactly that many times, and no dead
 * letter may exist. Guards against duplication on fan-out, fan-in and merges, and against a message
 * lost without any counter saying so.
 */
final class EndToEndConservationCheck implements CaseCheck {

  @Override
  public String name() {
    return "end-to-end conservation";
  }

  @Override
  public @Nullable String violation(CaseRun run) {
    CaseModel model = run.model();
    int n = model.nodes().size();
    long[][] paths = new long[n][n];
    for (int i = n - 1; i >= 0; i--) {
      if (model.nodes().get(i).sink()) {
        paths[i][i] = 1;
      }
      for (EdgeModel e : model.edgesFrom(i)) {
        for (int s = 0; s < n; s++) {
          paths[i][s] += paths[e.to()][s];
        }
      }
    }
    boolean exact = model.lossless();
    if (exact && !run.deadLetters().isEmpty()) {
      return "nothing could be lost, yet "
          + run.deadLetters().size()
          + " dead letters, e.g. "
          + run.deadLetters().get(0);
    }
    Map<Long, Integer> targetOf = new HashMap<>();
    Set<Long> lostAtIngress = new HashSet<>();
    for (IngressModel in : model.ingresses()) {
      for (Feeder f : run.feedersOf(in)) {
        for (long id : f.sentIds) {
          targetOf.put(id, in.target());
        }
        lostAtIngress.addAll(f.lostAtIngress);
      }
    }
    for (HopNode sink : run.nodes()) {
      if (!sink.model().sink()) {
        continue;
      }
      int s = sink.model().index();
      Map<Long, Integer> seen = new HashMap<>();
      for (Token t : sink.received) {
        for (long id : t.ids()) {
          seen.merge(id, 1, Integer::sum);
        }
      }
      for (Map.Entry<Long, Integer> e : seen.entrySet()) {
        Integer target = targetOf.get(e.getKey());
        if (target == null) {
          return "sink " + sink.model().name() + " got id " + e.getKey() + ", which was never sent";
        }
        if (e.getValue() > paths[target][s]) {
          return String.format(
              "sink %s got id %d %d times, but only %d paths lead there from its ingress:"
                  + " duplicated",
              sink.model().name(), e.getKey(), e.getValue(), paths[target][s]);
        }
      }
      if (exact) {
        for (Map.Entry<Long, Integer> e : targetOf.entrySet()) {
          long expected = lostAtIngress.contains(e.getKey()) ? 0 : paths[e.getValue()][s];
          int got = seen.getOrDefault(e.getKey(), 0);
          if (got != expected) {
            return String.format(
                "nothing could be lost, but sink %s got id %d %d times, expected %d (paths);"
                    + " ids sent: %d",
                sink.model().name(), e.getKey(), got, expected, targetOf.size());
          }
        }
      }
    }
    return null;
  }
}
