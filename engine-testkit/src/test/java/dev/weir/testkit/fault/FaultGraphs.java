package dev.weir.testkit.fault;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Node;
import dev.weir.core.NodeOption;
import dev.weir.core.Nodes;
import dev.weir.core.OfferStatus;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.testkit.Actor;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.StressResult;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The graphs and actors the fault tests run.
 *
 * <pre>
 *   ingress "in" ──BLOCK(16)──► middle (wrapped by the plan) ──BLOCK(4)──► sink (ledger)
 * </pre>
 */
final class FaultGraphs {

  /** Checksummed readings, as a class literal for ports and ingresses. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static final Class<Checksummed<Reading>> SEALED = (Class) Checksummed.class;

  private FaultGraphs() {}

  static Node forwarder() {
    return Nodes.map(Reading.class, Reading.class, r -> r);
  }

  static Supplier<Graph> pipeline(
      Supplier<Node> middle, ConservationLedger<Reading> ledger, NodeOption... options) {
    return () ->
        Graph.builder("faulty-pipeline")
            .add("middle", middle.get(), options)
            .add("sink", Nodes.sink(Reading.class, ledger::delivered))
            .connect("middle.out", "sink.in", EdgeSpec.blocking(4))
            .ingress("in", "middle.in", EdgeSpec.blocking(16))
            .build();
  }

  /**
   * The same pipeline for checksummed readings; the sink verifies each.
   *
   * <pre>
   *   ingress "in" ──BLOCK(16)──► middle (wrapped) ──BLOCK(4)──► sink (verifier)
   * </pre>
   */
  static Supplier<Graph> sealedPipeline(Supplier<Node> middle, ChecksumVerifier verifier) {
    return () ->
        Graph.builder("sealed-pipeline")
            .add("middle", middle.get())
            .add("sink", Nodes.sink(SEALED, verifier::verify))
            .connect("middle.out", "sink.in", EdgeSpec.blocking(4))
            .ingress("in", "middle.in", EdgeSpec.blocking(16))
            .build();
  }

  static Node sealedForwarder() {
    return Nodes.map(SEALED, SEALED, r -> r);
  }

  /** The middle node's final view in the run's last graph. */
  static GraphSnapshot.NodeView middle(StressResult result) {
    return Objects.requireNonNull(
        result.run().last().afterStop().node("middle"), "the graph has no node 'middle'");
  }

  /** Puts the next reading; counted when the ledger counts it sent. */
  static Actor feeder(AtomicLong ids, ConservationLedger<Reading> ledger) {
    return (env, random) -> {
      Reading r = new Reading(ids.getAndIncrement(), random.nextLong());
      return ledger.offered(r, env.ingress("in", Reading.class).put(r, Duration.ofSeconds(10)))
          ? Outcome.COUNTED
          : Outcome.NOT_COUNTED;
    };
  }

  /** Puts the next sealed reading; every accepted put counts. */
  static Actor sealedFeeder(AtomicLong ids) {
    return (env, random) -> {
      Checksummed<Reading> r =
          Checksummed.of(new Reading(ids.getAndIncrement(), random.nextLong()));
      return env.ingress("in", SEALED).put(r, Duration.ofSeconds(10)).status()
              == OfferStatus.ACCEPTED
          ? Outcome.COUNTED
          : Outcome.NOT_COUNTED;
    };
  }
}
