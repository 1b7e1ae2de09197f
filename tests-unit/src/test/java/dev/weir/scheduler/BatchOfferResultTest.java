package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import org.junit.jupiter.api.Test;

/** {@link BatchOfferResult}: its counts add up, and {@code of} refuses results that cannot be. */
class BatchOfferResultTest {

  @Test
  void countsAddUpToTaken_andTheRefusingStatusesCountZero() {
    BatchOfferResult r = BatchOfferResult.of(10, 4, 1, 2, 1, OfferResult.blocked());

    assertThat(r.size()).isEqualTo(10);
    assertThat(r.taken()).isEqualTo(8);
    assertThat(r.isComplete()).isFalse();
    assertThat(r.count(OfferStatus.ACCEPTED)).isEqualTo(4);
    assertThat(r.count(OfferStatus.EVICTED)).isEqualTo(1);
    assertThat(r.count(OfferStatus.COALESCED)).isEqualTo(2);
    assertThat(r.count(OfferStatus.DROPPED)).isEqualTo(1);
    assertThat(r.count(OfferStatus.BLOCKED)).isZero();
    assertThat(r.count(OfferStatus.CLOSED)).isZero();
    assertThat(r)
        .hasToString(
            "BatchOfferResult[taken 8 of 10, 4 accepted, 1 evicted, 2 coalesced, 1 dropped,"
                + " refused at 8: BLOCKED]");
  }

  @Test
  void aCompleteResult_hasNoRefusal() {
    BatchOfferResult r = BatchOfferResult.of(3, 3, 0, 0, 0, null);

    assertThat(r.isComplete()).isTrue();
    assertThat(r.refusal()).isNull();
    assertThat(r).hasToString("BatchOfferResult[taken 3 of 3, 3 accepted]");
  }

  @Test
  void of_refusesResultsThatCannotHappen() {
    assertThatThrownBy(() -> BatchOfferResult.of(3, 2, 0, 0, 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taken 2 of 3: without a refusal every payload is taken");
    assertThatThrownBy(() -> BatchOfferResult.of(3, 3, 0, 0, 0, OfferResult.blocked()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a refusal needs a refused payload after the taken ones");
    assertThatThrownBy(() -> BatchOfferResult.of(3, 1, 0, 0, 0, OfferResult.accepted()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only BLOCKED, CLOSED, FAILED and REJECTED stop a batch");
    assertThatThrownBy(() -> BatchOfferResult.of(3, 4, -1, 0, 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
  }

  @Test
  void of_acceptsEveryRefusingStatus() {
    assertThat(BatchOfferResult.of(1, 0, 0, 0, 0, OfferResult.closed("closed")).taken()).isZero();
    assertThat(BatchOfferResult.of(1, 0, 0, 0, 0, OfferResult.rejected("bad")).taken()).isZero();
    assertThat(
            BatchOfferResult.of(1, 0, 0, 0, 0, OfferResult.failed(new IllegalStateException()))
                .taken())
        .isZero();
  }
}
