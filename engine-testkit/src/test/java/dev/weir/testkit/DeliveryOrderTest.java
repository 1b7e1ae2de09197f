package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order checks on hand-made delivery sequences. */
class DeliveryOrderTest {

  private static final RunRecord NO_RUN =
      new RunRecord("order", 1, false, 0, Duration.ZERO, List.of(), List.of());

  @Test
  void increasingSequencesWithGaps_areValid() throws Exception {
    DeliveryOrder order = DeliveryOrder.create();
    order.delivered("a", 1, false);
    order.delivered("b", 1, false);
    order.delivered("a", 4, false);
    order.delivered("a", 2, true);

    assertThat(order.fifo().check(NO_RUN).verdict()).isEqualTo(Verdict.VALID);
  }

  @Test
  void dataArrivingBeforeAnEarlierOne_isInvalid() throws Exception {
    DeliveryOrder order = DeliveryOrder.create();
    order.delivered("a", 2, false);
    order.delivered("a", 1, false);

    CheckResult fifo = order.fifo().check(NO_RUN);
    assertThat(fifo.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(fifo.detail()).contains("a: DATA #1 after DATA #2");
  }

  @Test
  void controlOvertakingQueuedData_isValid() throws Exception {
    DeliveryOrder order = DeliveryOrder.create();
    order.delivered("a", 5, true);
    order.delivered("a", 1, false);
    order.delivered("a", 2, false);

    assertThat(order.controlBeforeData().check(NO_RUN).verdict()).isEqualTo(Verdict.VALID);
    assertThat(order.fifo().check(NO_RUN).verdict()).isEqualTo(Verdict.VALID);
  }

  @Test
  void dataSentAfterControlArrivingFirst_isInvalid() throws Exception {
    DeliveryOrder order = DeliveryOrder.create();
    order.delivered("a", 1, false);
    order.delivered("a", 3, false);
    order.delivered("a", 2, true);

    CheckResult control = order.controlBeforeData().check(NO_RUN);
    assertThat(control.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(control.detail()).contains("a: DATA #3 arrived before CONTROL #2");
  }

  @Test
  void nothingDelivered_isUnknown() throws Exception {
    assertThat(DeliveryOrder.create().fifo().check(NO_RUN).verdict()).isEqualTo(Verdict.UNKNOWN);
  }
}
