package dev.weir.stress.random;

import dev.weir.core.EdgeStats;
import dev.weir.core.OfferStatus;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.scheduler.ShutdownReport.EdgeOutcome;
import dev.weir.stress.random.CaseModel.IngressModel;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * "edge conservation": on every edge, what its producer sent equals what its consumer was handed
 * plus what the edge's policy dropped, evicted or coalesced plus what was dead-lettered from it:
 *
 * <pre>
 * sent = delivered + dropped + evicted + coalesced + dead-lettered (+ queued, 0 after a clean stop)
 * </pre>
 *
 * <p>{@code sent} and {@code delivered} are counted by the test (the producing {@link HopNode} or
 * {@link Feeder}, and the consuming node, which sees the producer in each token), the policy counts
 * come from the shutdown report and the dead letters from the handler the scheduler called. The
 * consumer's count must also equal the edge's own {@code delivered}, an ingress's outcomes the
 * statuses its callers got, and each node's NODE_FAILED dead letters the failures it threw. Guards
 * against a message lost or invented between two nodes, a counter that does not match what really
 * happened, and a dead letter the handler never received.
 */
final class EdgeConservationCheck implements CaseCheck {

  @Override
  public String name() {
    return "edge conservation";
  }

  @Override
  public @Nullable String violation(CaseRun run) {
    ShutdownReport report = run.report();
    if (report == null) {
      return "no shutdown report";
    }
    Map<String, Integer> index = run.indexByName();
    Map<String, Long> lettersByEdge = new HashMap<>();
    Map<String, Long> failedByNode = new HashMap<>();
    for (DeadLetter d : run.deadLetters()) {
      if (d.reason() == DeadLetter.Reason.NODE_FAILED) {
        failedByNode.merge(d.node(), 1L, Long::sum);
      } else {
        lettersByEdge.merge(String.valueOf(d.edgeId()), 1L, Long::sum);
      }
    }
    for (EdgeOutcome o : report.edges()) {
      Integer consumer = index.get(o.consumer());
      if (consumer == null) {
        return "edge " + o.id() + ": unknown consumer " + o.consumer();
      }
      HopNode to = run.nodes().get(consumer);
      long sent;
      long seen = 0;
      if (o.fromIngress()) {
        IngressModel in = ingress(run, o.producer());
        long accepted = 0;
        long dropped = 0;
        long coalesced = 0;
        long failed = 0;
        for (Feeder f : run.feedersOf(in)) {
          accepted += count(f, OfferStatus.ACCEPTED) + count(f, OfferStatus.EVICTED);
          dropped += count(f, OfferStatus.DROPPED);
          coalesced += count(f, OfferStatus.COALESCED);
          failed += count(f, OfferStatus.FAILED);
        }
        EdgeStats s = o.stats();
        if (s.accepted() != accepted
            || s.dropped() != dropped
            || s.coalesced() != coalesced
            || s.failed() != failed) {
          return String.format(
              "ingress edge %s: callers were answered accepted=%d dropped=%d coalesced=%d"
                  + " failed=%d but the edge counts %s",
              o.id(), accepted, dropped, coalesced, failed, s);
        }
        sent = accepted + dropped + coalesced;
        for (Token t : to.received) {
          if (t.from() < 0 && run.ingressOfStream(t.from()) == in) {
            seen++;
          }
        }
      } else {
        Integer producer = index.get(o.producer());
        if (producer == null) {
          return "edge " + o.id() + ": unknown producer " + o.producer();
        }
        sent = run.nodes().get(producer).emitted;
        for (Token t : to.received) {
          if (t.from() == producer) {
            seen++;
          }
        }
      }
      long letters = lettersByEdge.getOrDefault(o.id(), 0L);
      long outcomes = seen + o.dropped() + o.evicted() + o.coalesced() + letters + o.queued();
      if (seen != o.delivered() || sent != outcomes) {
        return String.format(
            "edge %s: sent=%d but delivered=%d (the edge counts %d) + dropped=%d + evicted=%d +"
                + " coalesced=%d + dead-lettered=%d + queued=%d = %d; %s",
            o.id(),
            sent,
            seen,
            o.delivered(),
            o.dropped(),
            o.evicted(),
            o.coalesced(),
            letters,
            o.queued(),
            outcomes,
            o.stats());
      }
    }
    for (HopNode n : run.nodes()) {
      long letters = failedByNode.getOrDefault(n.model().name(), 0L);
      if (letters != n.failures) {
        return "node "
            + n.model().name()
            + " failed "
            + n.failures
            + " times on a message but "
            + letters
            + " NODE_FAILED dead letters name it";
      }
    }
    return null;
  }

  private static long count(Feeder f, OfferStatus status) {
    return f.outcomes.getOrDefault(status, 0L);
  }

  private static IngressModel ingress(CaseRun run, String producer) {
    String name = producer.startsWith("ingress:") ? producer.substring(8) : producer;
    for (IngressModel i : run.model().ingresses()) {
      if (i.name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no ingress " + producer);
  }
}
