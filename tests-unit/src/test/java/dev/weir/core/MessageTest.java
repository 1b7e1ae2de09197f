package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MessageTest {

  private static final Headers HEADERS = Headers.of("tenant", "acme");

  private static Message<String> sample() {
    return Message.create("payload", HEADERS, 0x1234L, 777L, Plane.DATA);
  }

  @Test
  void create_allFields_returnsThemUnchanged() {
    Message<String> m = sample();

    assertThat(m.payload()).isEqualTo("payload");
    assertThat(m.headers()).isSameAs(HEADERS);
    assertThat(m.header("TENANT")).isEqualTo("acme");
    assertThat(m.header("missing")).isNull();
    assertThat(m.traceId()).isEqualTo(0x1234L);
    assertThat(m.timestampNanos()).isEqualTo(777L);
    assertThat(m.plane()).isEqualTo(Plane.DATA);
    assertThat(m.isControl()).isFalse();
  }

  @Test
  void create_nullPayload_isRejectedNamingThePayload() {
    assertThatThrownBy(() -> Message.create(null, Headers.empty(), 1, 1, Plane.DATA))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("payload");
    assertThatThrownBy(() -> Message.of(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Message.control(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void create_nullHeadersOrPlane_isRejected() {
    assertThatThrownBy(() -> Message.create("x", null, 1, 1, Plane.DATA))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Message.create("x", Headers.empty(), 1, 1, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void of_andControl_stampPlaneAndDistinctTraceIds() {
    Message<String> data = Message.of("d");
    Message<String> control = Message.control("c");

    assertThat(data.plane()).isEqualTo(Plane.DATA);
    assertThat(control.plane()).isEqualTo(Plane.CONTROL);
    assertThat(control.isControl()).isTrue();
    assertThat(data.headers()).isSameAs(Headers.empty());
    assertThat(data.traceId()).isNotEqualTo(control.traceId());
  }

  @Test
  void withHeader_newHeader_returnsCopyAndLeavesOriginalUnchanged() {
    Message<String> original = sample();

    Message<String> copy = original.withHeader("Region", "eu");

    assertThat(copy).isNotSameAs(original);
    assertThat(copy.header("region")).isEqualTo("eu");
    assertThat(copy.header("tenant")).isEqualTo("acme");
    assertThat(original.header("region")).isNull();
    assertThat(original.headers()).isEqualTo(HEADERS);
    assertSameMetadata(copy, original);
    assertThat(copy.payload()).isSameAs(original.payload());
  }

  @Test
  void withHeader_unchangedValue_returnsSameInstance() {
    Message<String> original = sample();

    assertThat(original.withHeader("TENANT", "acme")).isSameAs(original);
  }

  @Test
  void withHeaders_always_replacesAllHeadersAndKeepsMetadata() {
    Message<String> original = sample();
    Headers other = Headers.of("x", "1");

    Message<String> copy = original.withHeaders(other);

    assertThat(copy.headers()).isSameAs(other);
    assertThat(original.headers()).isSameAs(HEADERS);
    assertSameMetadata(copy, original);
    assertThatThrownBy(() -> original.withHeaders(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void withPayload_anyType_keepsTraceIdTimestampPlaneAndHeaders() {
    Message<String> original = Message.create("text", HEADERS, 42L, 9L, Plane.CONTROL);

    Message<Integer> mapped = original.withPayload(4);

    assertThat(mapped.payload()).isEqualTo(4);
    assertSameMetadata(mapped, original);
    assertThat(mapped.headers()).isSameAs(original.headers());
    assertThat(original.payload()).isEqualTo("text");
  }

  @Test
  void withPayload_null_isRejected() {
    assertThatThrownBy(() -> sample().withPayload(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("newPayload");
  }

  @Test
  void onPlane_otherPlane_returnsCopyWithSameMetadata() {
    Message<String> data = sample();

    Message<String> control = data.onPlane(Plane.CONTROL);

    assertThat(control.plane()).isEqualTo(Plane.CONTROL);
    assertThat(data.plane()).isEqualTo(Plane.DATA);
    assertThat(control.traceId()).isEqualTo(data.traceId());
    assertThat(control.timestampNanos()).isEqualTo(data.timestampNanos());
    assertThat(control.headers()).isEqualTo(data.headers());
    assertThat(data.onPlane(Plane.DATA)).isSameAs(data);
  }

  @Test
  void toString_shortPayload_showsTracePlaneTimestampHeadersAndPayload() {
    Message<String> m = Message.create("hello", HEADERS, 0xabcL, 5L, Plane.DATA);

    assertThat(m.toString())
        .isEqualTo(
            "Message[trace=0000000000000abc, plane=DATA, ts=5, headers={tenant=acme},"
                + " payload=String:hello]");
  }

  @Test
  void toString_noHeaders_omitsHeaders() {
    Message<Integer> m = Message.create(3, Headers.empty(), -1L, 0L, Plane.CONTROL);

    assertThat(m.toString())
        .isEqualTo("Message[trace=ffffffffffffffff, plane=CONTROL, ts=0, payload=Integer:3]");
  }

  @Test
  void toString_longPayload_truncatesAndStatesTheLength() {
    String payload = "x".repeat(80) + "TAIL" + "y".repeat(10_000);
    Message<String> m = Message.create(payload, Headers.empty(), 1L, 0L, Plane.DATA);

    String text = m.toString();

    assertThat(text)
        .contains("payload=String:" + "x".repeat(80) + "...(10084 chars)]")
        .doesNotContain("TAIL")
        .hasSizeLessThan(200);
  }

  @Test
  void toString_payloadOfExactlyPreviewLength_isNotTruncated() {
    String payload = "z".repeat(80);

    assertThat(Message.create(payload, Headers.empty(), 1L, 0L, Plane.DATA).toString())
        .endsWith("payload=String:" + payload + "]");
  }

  @Test
  void message_exposesNoMutators() {
    // Immutability by construction: every field is final and no method returns a mutable view.
    // Synthetic fields are left out: coverage and mutation tools add their own probes.
    assertThat(
            java.util.Arrays.stream(Message.class.getDeclaredFields())
                .filter(f -> !f.isSynthetic()))
        .allSatisfy(f -> assertThat(java.lang.reflect.Modifier.isFinal(f.getModifiers())).isTrue());
    List<String> setters =
        java.util.Arrays.stream(Message.class.getMethods())
            .map(java.lang.reflect.Method::getName)
            .filter(n -> n.startsWith("set"))
            .toList();
    assertThat(setters).isEmpty();
  }

  private static void assertSameMetadata(Message<?> actual, Message<?> expected) {
    assertThat(actual.traceId()).isEqualTo(expected.traceId());
    assertThat(actual.timestampNanos()).isEqualTo(expected.timestampNanos());
    assertThat(actual.plane()).isEqualTo(expected.plane());
  }
}
