package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testkit.junit.Seed;
import dev.weir.testkit.junit.WeirTest;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression test for issue 14, point 7: on a COALESCE edge, a DATA payload offered after a CONTROL
 * message must never reach the consumer before that CONTROL message, not even inside an older DATA
 * message it was merged into. Before the fix, the consumer looked at the CONTROL lane, then took
 * the DATA slot, and a merge in between slipped newer DATA past a queued CONTROL message: a few
 * thousand per million deliveries showed {@code DATA k} before {@code CONTROL k}.
 *
 * <p>One producer thread loops {@code offer(CONTROL k); offer(DATA k)} on a capacity-1 edge whose
 * merge concatenates; one consumer thread polls. The seed varies the producer's pauses, and so the
 * interleavings; replay with {@code -Dweir.seed=N}.
 *
 * <p>The same race showed a second bug: to deliver CONTROL first, the consumer holds the merged
 * message back for one poll, and the producer refilled the ring meanwhile, so the edge showed DATA
 * depth 2 on capacity 1 (found by the random-graph stress scenario). The held message now keeps its
 * place: the consumer checks the depth after every poll, and a DATA offer that finds the held
 * message alone on the full edge is answered BLOCKED (nothing to merge into), so the producer keeps
 * it and offers it again, as any producer does with a BLOCKED answer.
 */
@WeirTest
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CoalesceControlOrderTest {

  private static final int ROUNDS = 100_000;

  @Test
  void poll_dataMergedAfterControl_neverOvertakesThatControl(Seed seed) {
    Edge<String> edge =
        Edge.create(
            "p.out->c.in",
            PortSpec.of("in", String.class),
            EdgeSpec.of(
                1, OverflowPolicy.<String>coalesce((queued, incoming) -> queued + incoming)));
    long[] pauses = new SplittableRandom(seed.value()).longs(1024, 0, 64).toArray();

    CompletableFuture<Void> producer =
        CompletableFuture.runAsync(
            () -> {
              for (int k = 0; k < ROUNDS; k++) {
                Message<String> control = Message.control(Integer.toString(k));
                while (!edge.offer(control).isEnqueued()) {
                  Thread.onSpinWait();
                }
                Message<String> data = Message.of(k + ";");
                OfferStatus status;
                while ((status = edge.offer(data).status()) == OfferStatus.BLOCKED) {
                  Thread.onSpinWait();
                }
                assertThat(status).isIn(OfferStatus.ACCEPTED, OfferStatus.COALESCED);
                for (long spin = pauses[k & 1023]; spin > 0; spin--) {
                  Thread.onSpinWait();
                }
              }
            });

    int controlsDelivered = 0;
    int dataDelivered = 0;
    int overtakes = 0;
    String firstOvertake = null;
    int maxDepth = 0;
    while (dataDelivered < ROUNDS) {
      Message<String> m = edge.poll();
      maxDepth = Math.max(maxDepth, edge.depth());
      if (m == null) {
        if (producer.isDone() && edge.isEmpty()) {
          break;
        }
        continue;
      }
      if (m.isControl()) {
        assertThat(Integer.parseInt(m.payload())).isEqualTo(controlsDelivered);
        controlsDelivered++;
        continue;
      }
      for (String part : m.payload().split(";")) {
        int k = Integer.parseInt(part);
        dataDelivered++;
        if (k >= controlsDelivered) {
          overtakes++;
          if (firstOvertake == null) {
            firstOvertake =
                "DATA " + k + " (in \"" + m.payload() + "\") before CONTROL " + controlsDelivered;
          }
        }
      }
    }
    producer.join();

    assertThat(overtakes)
        .as(
            "DATA delivered before a CONTROL message offered before it (%d times); first: %s",
            overtakes, firstOvertake)
        .isZero();
    assertThat(maxDepth)
        .as("DATA depth seen by the consumer, on capacity 1")
        .isLessThanOrEqualTo(1);
    assertThat(controlsDelivered).isEqualTo(ROUNDS);
    assertThat(dataDelivered).isEqualTo(ROUNDS);
  }
}
