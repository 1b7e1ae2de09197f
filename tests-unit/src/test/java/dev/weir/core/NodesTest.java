package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.testing.RecordingNodeContext;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class NodesTest {

  private static final Message<Long> INPUT =
      Message.create(21L, Headers.of("tenant", "acme").with("hop", "1"), 0xfeedL, 99L, Plane.DATA);

  private static PortSpec<?> port(List<PortSpec<?>> ports, String name) {
    return ports.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  private static PortSpec<?> in(Node node) {
    return port(node.inputs(), Nodes.IN);
  }

  private static PortSpec<?> out(Node node) {
    return port(node.outputs(), Nodes.OUT);
  }

  @Test
  void map_anyInput_emitsMappedPayloadWithTraceIdHeadersTimestampAndPlane() throws Exception {
    Node node = Nodes.map(Long.class, String.class, x -> "v" + (x * 2));
    RecordingNodeContext ctx = new RecordingNodeContext("double", node, 1);

    node.onMessage(ctx, in(node), INPUT);
    node.onMessage(ctx, in(node), INPUT.onPlane(Plane.CONTROL));

    List<Message<?>> emitted = ctx.messages(out(node));
    assertThat(emitted).hasSize(2);
    Message<?> mapped = emitted.get(0);
    assertThat(mapped.payload()).isEqualTo("v42");
    assertThat(mapped.traceId()).isEqualTo(INPUT.traceId());
    assertThat(mapped.headers()).isEqualTo(INPUT.headers());
    assertThat(mapped.timestampNanos()).isEqualTo(INPUT.timestampNanos());
    assertThat(mapped.plane()).isEqualTo(Plane.DATA);
    assertThat(emitted.get(1).plane()).isEqualTo(Plane.CONTROL);
  }

  @Test
  void map_declaresTypedInAndOutPorts() {
    Node node = Nodes.map(int.class, String.class, x -> "" + x);

    assertThat(node.inputs()).containsExactly(PortSpec.of("in", Integer.class));
    assertThat(node.outputs()).containsExactly(PortSpec.of("out", String.class));
    assertThat(node.toString()).contains("in:Integer").contains("out:String");
  }

  @Test
  void map_wrongPayloadType_throwsNamingThePort() {
    Node node = Nodes.map(Long.class, Long.class, x -> x);
    RecordingNodeContext ctx = new RecordingNodeContext("m", node, 1);

    assertThatThrownBy(() -> node.onMessage(ctx, in(node), Message.of("text")))
        .isInstanceOf(ClassCastException.class)
        .hasMessageContaining("'in'");
    assertThat(ctx.emits()).isEmpty();
  }

  @Test
  void map_functionReturnsNull_throwsAndEmitsNothing() {
    Node node = Nodes.map(Long.class, Long.class, x -> null);
    RecordingNodeContext ctx = new RecordingNodeContext("m", node, 1);

    assertThatThrownBy(() -> node.onMessage(ctx, in(node), INPUT))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("the map function of node m returned null for " + INPUT.payload())
        .hasMessageContaining("filter such inputs out first");
    assertThat(ctx.emits()).isEmpty();
  }

  @Test
  void filter_passingAndFailingInputs_forwardsOnlyPassingOnesUnchanged() throws Exception {
    Node node = Nodes.filter(Long.class, x -> x % 2 == 0);
    RecordingNodeContext ctx = new RecordingNodeContext("even", node, 1);
    List<Message<Long>> inputs = new ArrayList<>();
    for (long i = 0; i < 6; i++) {
      inputs.add(INPUT.withPayload(i).withHeader("i", Long.toString(i)));
    }

    for (Message<Long> m : inputs) {
      node.onMessage(ctx, in(node), m);
    }

    assertThat(ctx.messages(out(node)))
        .containsExactly(inputs.get(0), inputs.get(2), inputs.get(4));
    assertThat(ctx.messages(out(node)))
        .allSatisfy(m -> assertThat(m.traceId()).isEqualTo(INPUT.traceId()));
  }

  @Test
  void flatMap_anyInput_emitsEveryElementInOrderEachWithTheInputsMetadata() throws Exception {
    Node node =
        Nodes.flatMap(
            Long.class,
            Integer.class,
            n -> IntStream.range(0, n.intValue()).boxed().collect(Collectors.toList()));
    RecordingNodeContext ctx = new RecordingNodeContext("explode", node, 1);

    node.onMessage(ctx, in(node), INPUT.withPayload(3L));
    node.onMessage(ctx, in(node), INPUT.withPayload(0L));

    List<Message<?>> emitted = ctx.messages(out(node));
    assertThat(ctx.payloads(out(node))).containsExactly(0, 1, 2);
    assertThat(emitted)
        .allSatisfy(
            m -> {
              assertThat(m.traceId()).isEqualTo(INPUT.traceId());
              assertThat(m.headers()).isEqualTo(INPUT.headers());
              assertThat(m.timestampNanos()).isEqualTo(INPUT.timestampNanos());
            });
  }

  @Test
  void flatMap_nullElement_throws() {
    List<Integer> withNull = new ArrayList<>();
    withNull.add(1);
    withNull.add(null);
    Node node = Nodes.flatMap(Long.class, Integer.class, n -> withNull);
    RecordingNodeContext ctx = new RecordingNodeContext("f", node, 1);

    assertThatThrownBy(() -> node.onMessage(ctx, in(node), INPUT))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void sink_anyInput_passesThePayloadToTheConsumerAndEmitsNothing() throws Exception {
    List<Long> seen = new ArrayList<>();
    Node node = Nodes.sink(Long.class, seen::add);
    RecordingNodeContext ctx = new RecordingNodeContext("sink", node, 1);

    node.onMessage(ctx, in(node), INPUT);
    node.onMessage(ctx, in(node), INPUT.withPayload(5L));

    assertThat(seen).containsExactly(21L, 5L);
    assertThat(node.outputs()).isEmpty();
    assertThat(ctx.emits()).isEmpty();
  }

  @Test
  void range_pulledWithinDemand_emitsNoMoreThanTheDemandEachPull() throws Exception {
    SourceNode node = Nodes.range(10, 20);
    PortSpec<?> out = out(node);
    RecordingNodeContext ctx = new RecordingNodeContext("numbers", node, 7).demand(out, 3);
    node.onStart(ctx);

    boolean more = node.pull(ctx);

    assertThat(more).isTrue();
    assertThat(ctx.payloads(out)).containsExactly(10L, 11L, 12L);
    assertThat(node.pull(ctx)).as("no demand left").isTrue();
    assertThat(ctx.payloads(out)).hasSize(3);

    ctx.demand(out, 100);
    assertThat(node.pull(ctx)).as("exhausted").isFalse();
    assertThat(ctx.payloads(out))
        .containsExactlyElementsOf(LongStream.range(10, 20).boxed().toList());
    assertThat(ctx.overDemandEmits()).isZero();
    assertThat(node.inputs()).isEmpty();
  }

  @Test
  void range_unboundedDemand_emitsAtMostOneBatchPerPull() throws Exception {
    SourceNode node = Nodes.range(0, 1_000);
    PortSpec<?> out = out(node);
    RecordingNodeContext ctx = new RecordingNodeContext("numbers", node, 7);
    node.onStart(ctx);

    int pulls = 0;
    boolean more = true;
    while (more) {
      int before = ctx.emits().size();
      more = node.pull(ctx);
      pulls++;
      assertThat(ctx.emits().size() - before).isLessThanOrEqualTo(Nodes.MAX_PULL_BATCH);
    }

    assertThat(pulls).isEqualTo((1_000 + Nodes.MAX_PULL_BATCH - 1) / Nodes.MAX_PULL_BATCH);
    assertThat(ctx.payloads(out))
        .containsExactlyElementsOf(LongStream.range(0, 1_000).boxed().toList());
  }

  @Test
  void source_emits_newMessagesStampedByTheContext() throws Exception {
    SourceNode node = Nodes.source(String.class, List.of("a", "b"));
    PortSpec<?> out = out(node);
    RecordingNodeContext ctx = new RecordingNodeContext("letters", node, 42).advance(500);
    node.onStart(ctx);

    assertThat(node.pull(ctx)).isFalse();

    List<Message<?>> emitted = ctx.messages(out);
    TraceIds expectedIds = TraceIds.seeded(42);
    assertThat(ctx.payloads(out)).containsExactly("a", "b");
    for (Message<?> m : emitted) {
      assertThat(m.traceId()).isEqualTo(expectedIds.next());
      assertThat(m.timestampNanos()).isEqualTo(500);
      assertThat(m.plane()).isEqualTo(Plane.DATA);
    }
  }

  @Test
  void source_zeroDemand_emitsNothingAndIsNotFinished() throws Exception {
    SourceNode node = Nodes.source(String.class, List.of("a"));
    PortSpec<?> out = out(node);
    RecordingNodeContext ctx = new RecordingNodeContext("letters", node, 1).demand(out, 0);
    node.onStart(ctx);

    assertThat(node.pull(ctx)).isTrue();
    assertThat(ctx.emits()).isEmpty();
  }

  @Test
  void source_restarted_startsOverFromTheFirstItem() throws Exception {
    SourceNode node = Nodes.source(String.class, List.of("a", "b", "c"));
    PortSpec<?> out = out(node);
    RecordingNodeContext ctx = new RecordingNodeContext("letters", node, 1).demand(out, 2);
    node.onStart(ctx);
    node.pull(ctx);

    ctx.clear();
    ctx.demand(out, 10);
    node.onStart(ctx);
    node.pull(ctx);

    assertThat(ctx.payloads(out)).containsExactly("a", "b", "c");
  }

  @Test
  void source_emptyItems_isFinishedAtOnce() throws Exception {
    SourceNode node = Nodes.source(String.class, List.of());
    RecordingNodeContext ctx = new RecordingNodeContext("none", node, 1);
    node.onStart(ctx);

    assertThat(node.pull(ctx)).isFalse();
    assertThat(ctx.emits()).isEmpty();
  }

  @Test
  void source_nullItem_throwsNamingTheProblem() {
    List<String> items = new ArrayList<>();
    items.add(null);
    SourceNode node = Nodes.source(String.class, items);
    RecordingNodeContext ctx = new RecordingNodeContext("nulls", node, 1);

    assertThatThrownBy(() -> node.pull(ctx))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("must not be null");
  }

  @Test
  void source_deliveredAMessage_throwsNamingTheNode() {
    SourceNode node = Nodes.range(0, 1);
    RecordingNodeContext ctx = new RecordingNodeContext("numbers", node, 1);

    assertThatThrownBy(() -> node.onMessage(ctx, PortSpec.of("in", Long.class), INPUT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("numbers")
        .hasMessageContaining("sources have no inputs");
  }

  @Test
  void recordingContext_emitToUndeclaredPortOrWrongType_isRefused() {
    Node node = Nodes.map(Long.class, Long.class, x -> x);
    RecordingNodeContext ctx = new RecordingNodeContext("m", node, 1);
    @SuppressWarnings("unchecked")
    PortSpec<Object> out = (PortSpec<Object>) out(node);

    assertThatThrownBy(() -> ctx.emit(PortSpec.of("other", Long.class), 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an output");
    assertThatThrownBy(() -> ctx.emit(out, "text"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String");
  }
}
