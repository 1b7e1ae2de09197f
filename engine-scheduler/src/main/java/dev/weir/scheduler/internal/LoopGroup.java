package dev.weir.scheduler.internal;

import java.util.ArrayList;
import java.util.List;

/*
 * Concurrency: the members of a loop cannot finish one by one (each may still feed the others), so
 * the loop finishes as a whole, decided under this group's monitor by whichever member goes idle
 * last. tryFinish() first checks that every live member is a finish candidate (its upstreams
 * outside the loop are done, its inputs were empty when its last activation ended), IDLE and not
 * blocked, and that every member's inputs are empty now; then it claims every live member as an
 * activation would (CAS IDLE -> RUNNING). Once all are claimed no member can run, so no message
 * can enter the loop's edges: the check is stable, and onFinish runs for each member in
 * topological order on this thread. If any claim fails (a member was just signalled), the claims
 * are released and the member that runs next tries again when it goes idle.
 *
 * Every member calls tryFinish after its activation ends with it a candidate (or stopped), and a
 * member's own transition to IDLE precedes its own tryFinish, so the last member to go idle sees
 * all the others idle: the loop cannot be left unfinished with all members idle.
 */

/**
 * Not API: the nodes of one strongly connected component of a running graph (a feedback loop),
 * which finish together.
 *
 * <p>Thread-safety: thread-safe (its own monitor; never taken while another runtime lock is held).
 */
final class LoopGroup {

  private final List<NodeCell> members;
  private boolean finished;

  LoopGroup(List<NodeCell> members) {
    this.members = List.copyOf(members);
  }

  /** The loop's members, in topological order. */
  List<NodeCell> members() {
    return members;
  }

  /** Called by a member after its activation ended; finishes the loop if it is quiet. */
  synchronized void tryFinish() {
    if (finished) {
      return;
    }
    for (NodeCell m : members) {
      if (!m.isTerminated() && !m.isQuietLoopMember()) {
        return;
      }
    }
    List<NodeCell> claimed = new ArrayList<>(members.size());
    for (NodeCell m : members) {
      if (m.isTerminated()) {
        continue;
      }
      if (!m.claimIdle()) {
        release(claimed);
        return;
      }
      claimed.add(m);
    }
    for (NodeCell m : claimed) {
      if (!m.inputsEmpty()) {
        release(claimed);
        return;
      }
    }
    finished = true;
    for (NodeCell m : claimed) {
      m.finishAsLoopMember();
    }
    release(claimed);
  }

  private static void release(List<NodeCell> claimed) {
    for (NodeCell m : claimed) {
      m.releaseClaim();
    }
  }
}
