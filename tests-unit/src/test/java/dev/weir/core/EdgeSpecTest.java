package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EdgeSpecTest {

  private static final PortSpec<String> IN = PortSpec.of("in", String.class);

  @Test
  void defaults_always_isBlockingWithDefaultCapacities() {
    EdgeSpec spec = EdgeSpec.defaults();

    assertThat(spec).isSameAs(EdgeSpec.defaults());
    assertThat(spec.capacity()).isEqualTo(EdgeSpec.DEFAULT_CAPACITY).isEqualTo(1024);
    assertThat(spec.policy()).isSameAs(OverflowPolicy.BLOCK);
    assertThat(spec.controlCapacity()).isEqualTo(EdgeSpec.DEFAULT_CONTROL_CAPACITY).isEqualTo(16);
    assertThat(spec.isFeedback()).isFalse();
    assertThat(spec.problem()).isNull();
  }

  @Test
  void of_capacityAndPolicy_keepsBothWithDefaultControlLane() {
    EdgeSpec spec = EdgeSpec.of(7, OverflowPolicy.LATEST);

    assertThat(spec.capacity()).isEqualTo(7);
    assertThat(spec.policy()).isSameAs(OverflowPolicy.LATEST);
    assertThat(spec.controlCapacity()).isEqualTo(EdgeSpec.DEFAULT_CONTROL_CAPACITY);
    assertThat(EdgeSpec.blocking(3).policy()).isSameAs(OverflowPolicy.BLOCK);
    assertThat(EdgeSpec.blocking(3).capacity()).isEqualTo(3);
    assertThatThrownBy(() -> EdgeSpec.of(1, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void withers_always_returnCopiesAndKeepTheRest() {
    EdgeSpec base = EdgeSpec.of(5, OverflowPolicy.DROP);

    EdgeSpec lane = base.withControlCapacity(2);
    EdgeSpec feedback = lane.asFeedback();

    assertThat(lane.controlCapacity()).isEqualTo(2);
    assertThat(base.controlCapacity()).isEqualTo(EdgeSpec.DEFAULT_CONTROL_CAPACITY);
    assertThat(feedback.isFeedback()).isTrue();
    assertThat(lane.isFeedback()).isFalse();
    assertThat(feedback.capacity()).isEqualTo(5);
    assertThat(feedback.policy()).isSameAs(OverflowPolicy.DROP);
    assertThat(feedback.controlCapacity()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void problem_capacityBelowOne_explainsTheFix(int capacity) {
    assertThat(EdgeSpec.of(capacity, OverflowPolicy.BLOCK).problem())
        .isEqualTo(
            "capacity "
                + capacity
                + " is invalid: an edge must hold at least 1 message (use EdgeSpec.of(n >= 1,"
                + " policy))");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -5})
  void problem_controlCapacityBelowOne_explainsIt(int lane) {
    assertThat(EdgeSpec.defaults().withControlCapacity(lane).problem())
        .isEqualTo(
            "control capacity "
                + lane
                + " is invalid: the CONTROL lane must hold at least 1 message");
  }

  @Test
  void problem_capacityAboveMaximum_explainsTheLimit() {
    EdgeSpec spec = EdgeSpec.of(EdgeSpec.MAX_CAPACITY + 1, OverflowPolicy.BLOCK);

    assertThat(spec.problem())
        .contains("capacity " + (EdgeSpec.MAX_CAPACITY + 1))
        .contains(String.valueOf(EdgeSpec.MAX_CAPACITY));
    assertThat(EdgeSpec.of(EdgeSpec.MAX_CAPACITY, OverflowPolicy.BLOCK).problem()).isNull();
    assertThat(EdgeSpec.defaults().withControlCapacity(Integer.MAX_VALUE).problem())
        .contains("control capacity " + Integer.MAX_VALUE);
  }

  @Test
  void problem_bothCapacitiesWrong_namesBoth() {
    assertThat(EdgeSpec.of(0, OverflowPolicy.BLOCK).withControlCapacity(0).problem())
        .startsWith("capacity 0 is invalid")
        .contains("; control capacity 0 is invalid");
  }

  @Test
  void problem_validSpecs_isNull() {
    assertThat(EdgeSpec.of(1, OverflowPolicy.FAIL).withControlCapacity(1).problem()).isNull();
  }

  @Test
  void create_invalidSpec_throwsNamingTheEdgeAndTheProblem() {
    assertThatThrownBy(() -> Edge.create("a.out->b.in", IN, EdgeSpec.of(0, OverflowPolicy.BLOCK)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("edge a.out->b.in: " + EdgeSpec.of(0, OverflowPolicy.BLOCK).problem());
    assertThatThrownBy(
            () -> Edge.create("a.out->b.in", IN, EdgeSpec.blocking(4).withControlCapacity(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("edge a.out->b.in: control capacity 0");
  }

  /**
   * Regression: a capacity above 2<sup>30</sup> used to pass {@code problem()} and build a ring of
   * ONE slot (the power-of-two slot count overflowed to {@code Integer.MIN_VALUE}, which {@code
   * Math.max(length, 1)} turned into 1), so every accepted offer overwrote the previous message:
   * silent loss on a BLOCK edge.
   */
  @Test
  void create_capacityAboveMaximum_throwsNamingTheEdgeInsteadOfOverflowing() {
    assertThatThrownBy(
            () ->
                Edge.create("a.out->b.in", IN, EdgeSpec.of(Integer.MAX_VALUE, OverflowPolicy.DROP)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("edge a.out->b.in: capacity " + Integer.MAX_VALUE);
    assertThatThrownBy(
            () ->
                Edge.create(
                    "a.out->b.in", IN, EdgeSpec.blocking(2).withControlCapacity((1 << 30) + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("edge a.out->b.in: control capacity");
  }

  @Test
  void create_nullArguments_areRejected() {
    assertThatThrownBy(() -> Edge.create(null, IN, EdgeSpec.defaults()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Edge.create("e", null, EdgeSpec.defaults()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Edge.create("e", IN, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void toString_always_showsCapacityPolicyControlAndFeedback() {
    assertThat(EdgeSpec.of(8, OverflowPolicy.LATEST))
        .hasToString("EdgeSpec[capacity=8, policy=LATEST, control=16]");
    assertThat(EdgeSpec.blocking(2).withControlCapacity(1).asFeedback())
        .hasToString("EdgeSpec[capacity=2, policy=BLOCK, control=1, feedback]");
  }
}
