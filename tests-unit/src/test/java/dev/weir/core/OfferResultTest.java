package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class OfferResultTest {

  @Test
  void sharedResults_always_areConstantsWithoutDetails() {
    assertThat(OfferResult.accepted()).isSameAs(OfferResult.accepted());
    assertThat(OfferResult.blocked()).isSameAs(OfferResult.blocked());
    assertThat(OfferResult.dropped()).isSameAs(OfferResult.dropped());
    assertThat(OfferResult.coalesced()).isSameAs(OfferResult.coalesced());
    for (OfferResult r :
        new OfferResult[] {
          OfferResult.accepted(),
          OfferResult.blocked(),
          OfferResult.dropped(),
          OfferResult.coalesced()
        }) {
      assertThat(r.evicted()).isNull();
      assertThat(r.cause()).isNull();
      assertThat(r.reason()).isNull();
      assertThat(r).hasToString(r.status().name());
    }
    assertThat(OfferResult.accepted().status()).isEqualTo(OfferStatus.ACCEPTED);
    assertThat(OfferResult.blocked().status()).isEqualTo(OfferStatus.BLOCKED);
    assertThat(OfferResult.dropped().status()).isEqualTo(OfferStatus.DROPPED);
    assertThat(OfferResult.coalesced().status()).isEqualTo(OfferStatus.COALESCED);
  }

  @Test
  void isEnqueued_onlyAcceptedAndEvicted_areEnqueued() {
    EnumSet<OfferStatus> enqueued = EnumSet.noneOf(OfferStatus.class);
    for (OfferStatus s : OfferStatus.values()) {
      if (s.isEnqueued()) {
        enqueued.add(s);
      }
    }

    assertThat(enqueued).containsExactlyInAnyOrder(OfferStatus.ACCEPTED, OfferStatus.EVICTED);
    assertThat(OfferResult.accepted().isEnqueued()).isTrue();
    assertThat(OfferResult.evicted(Message.of("x")).isEnqueued()).isTrue();
    assertThat(OfferResult.blocked().isEnqueued()).isFalse();
  }

  @Test
  void evicted_message_carriesItAndShowsItInToString() {
    Message<String> gone = Message.create("old", Headers.empty(), 1, 2, Plane.DATA);

    OfferResult result = OfferResult.evicted(gone);

    assertThat(result.status()).isEqualTo(OfferStatus.EVICTED);
    assertThat(result.evicted()).isSameAs(gone);
    assertThat(result.cause()).isNull();
    assertThat(result.toString()).startsWith("EVICTED(evicted Message[").contains("String:old");
    assertThatThrownBy(() -> OfferResult.evicted(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void failed_cause_carriesCauseAndItsMessageAsReason() {
    EdgeOverflowException cause = new EdgeOverflowException("a.out->b.in", "edge is full", null);

    OfferResult result = OfferResult.failed(cause);

    assertThat(result.status()).isEqualTo(OfferStatus.FAILED);
    assertThat(result.cause()).isSameAs(cause);
    assertThat(result.reason()).isEqualTo("edge is full");
    assertThat(result).hasToString("FAILED(edge is full)");
    assertThat(result.isEnqueued()).isFalse();
    assertThatThrownBy(() -> OfferResult.failed(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void rejectedAndClosed_reason_carryTheReason() {
    OfferResult rejected = OfferResult.rejected("wrong type");
    OfferResult closed = OfferResult.closed("shutting down");

    assertThat(rejected.status()).isEqualTo(OfferStatus.REJECTED);
    assertThat(rejected.reason()).isEqualTo("wrong type");
    assertThat(rejected).hasToString("REJECTED(wrong type)");
    assertThat(closed.status()).isEqualTo(OfferStatus.CLOSED);
    assertThat(closed.reason()).isEqualTo("shutting down");
    assertThat(closed.cause()).isNull();
    assertThatThrownBy(() -> OfferResult.rejected(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> OfferResult.closed(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void edgeOverflowException_always_keepsEdgeIdMessageAndCause() {
    IllegalStateException merge = new IllegalStateException("merge broke");

    EdgeOverflowException e = new EdgeOverflowException("a.out->b.in", "overflow", merge);

    assertThat(e.edgeId()).isEqualTo("a.out->b.in");
    assertThat(e).hasMessage("overflow").hasCause(merge);
  }
}
