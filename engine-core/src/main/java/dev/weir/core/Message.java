package dev.weir.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable envelope: a non-null payload, {@link Headers}, a 64-bit trace id, a creation
 * timestamp from the graph's {@link Clock}, and the {@link Plane} it travels on.
 *
 * <p>Inside a running graph, nodes create messages through their context, which stamps the graph
 * clock and a seeded trace id. Outside one, {@link #of(Object)} stamps the system clock and a
 * random id. Deriving a message ({@link #withPayload}, {@link #withHeader}) keeps its trace id and
 * timestamp, so a payload can be followed through a pipeline in logs.
 *
 * <p>Thread-safety: immutable; safe to publish through any edge. The payload itself should be
 * immutable too: it may be read by several consumers when an output fans out.
 *
 * @param <T> the payload type
 */
public final class Message<T> {

  private static final int PAYLOAD_PREVIEW_CHARS = 80;

  private final T payload;
  private final Headers headers;
  private final long traceId;
  private final long timestampNanos;
  private final Plane plane;

  private Message(T payload, Headers headers, long traceId, long timestampNanos, Plane plane) {
    this.payload = payload;
    this.headers = headers;
    this.traceId = traceId;
    this.timestampNanos = timestampNanos;
    this.plane = plane;
  }

  /**
   * Creates a DATA message stamped with the system clock and a random trace id.
   *
   * @param payload the payload; never null
   * @param <T> the payload type
   * @return a new message
   */
  public static <T> Message<T> of(T payload) {
    return create(payload, Headers.empty(), TraceIds.randomId(), System.nanoTime(), Plane.DATA);
  }

  /**
   * Creates a CONTROL message stamped with the system clock and a random trace id.
   *
   * @param payload the payload; never null
   * @param <T> the payload type
   * @return a new message
   */
  public static <T> Message<T> control(T payload) {
    return create(payload, Headers.empty(), TraceIds.randomId(), System.nanoTime(), Plane.CONTROL);
  }

  /**
   * Creates a message with every field given; what node contexts and tests use.
   *
   * @param payload the payload; never null
   * @param headers the headers
   * @param traceId the trace id
   * @param timestampNanos the creation time on the graph's clock
   * @param plane DATA or CONTROL
   * @param <T> the payload type
   * @return a new message
   * @throws NullPointerException if payload, headers or plane is null
   */
  public static <T> Message<T> create(
      T payload, Headers headers, long traceId, long timestampNanos, Plane plane) {
    return new Message<>(
        Objects.requireNonNull(payload, "payload must not be null"),
        Objects.requireNonNull(headers, "headers"),
        traceId,
        timestampNanos,
        Objects.requireNonNull(plane, "plane"));
  }

  /**
   * Returns the payload.
   *
   * @return the payload; never null
   */
  public T payload() {
    return payload;
  }

  /**
   * Returns the headers.
   *
   * @return the immutable headers
   */
  public Headers headers() {
    return headers;
  }

  /**
   * Returns a header value.
   *
   * @param key the header name, in any case
   * @return the value, or {@code null} if absent
   */
  public @Nullable String header(String key) {
    return headers.get(key);
  }

  /**
   * Returns the trace id.
   *
   * @return the 64-bit trace id; see {@link TraceIds#format(long)} for its printed form
   */
  public long traceId() {
    return traceId;
  }

  /**
   * Returns when the message was created. A node's DATA messages share one clock reading per
   * activation (see {@code NodeContext.emit}); ingress and CONTROL messages are stamped one by one.
   *
   * @return nanoseconds on the clock that stamped it
   */
  public long timestampNanos() {
    return timestampNanos;
  }

  /**
   * Returns the plane.
   *
   * @return DATA or CONTROL
   */
  public Plane plane() {
    return plane;
  }

  /**
   * Returns whether this is a CONTROL message.
   *
   * @return {@code plane() == Plane.CONTROL}
   */
  public boolean isControl() {
    return plane == Plane.CONTROL;
  }

  /**
   * Returns a copy with one header added or replaced.
   *
   * @param key the header name; normalized to lower case
   * @param value the value
   * @return a new message with the same payload, trace id, timestamp and plane
   */
  @SuppressWarnings("ReferenceEquality") // Headers.with returns itself when nothing changes
  public Message<T> withHeader(String key, String value) {
    Headers updated = headers.with(key, value);
    return updated == headers
        ? this
        : new Message<>(payload, updated, traceId, timestampNanos, plane);
  }

  /**
   * Returns a copy with other headers.
   *
   * @param newHeaders the headers of the copy
   * @return a new message with the same payload, trace id, timestamp and plane
   */
  public Message<T> withHeaders(Headers newHeaders) {
    return new Message<>(
        payload, Objects.requireNonNull(newHeaders, "newHeaders"), traceId, timestampNanos, plane);
  }

  /**
   * Returns a message carrying another payload and this message's headers, trace id, timestamp and
   * plane: what a map step produces.
   *
   * @param newPayload the new payload; never null
   * @param <R> the new payload type
   * @return a new message
   */
  public <R> Message<R> withPayload(R newPayload) {
    return new Message<>(
        Objects.requireNonNull(newPayload, "newPayload"), headers, traceId, timestampNanos, plane);
  }

  /**
   * Returns a copy on another plane.
   *
   * @param newPlane DATA or CONTROL
   * @return a new message, or this one if the plane is unchanged
   */
  public Message<T> onPlane(Plane newPlane) {
    return Objects.requireNonNull(newPlane, "newPlane") == plane
        ? this
        : new Message<>(payload, headers, traceId, timestampNanos, newPlane);
  }

  @Override
  public String toString() {
    String text = String.valueOf(payload);
    if (text.length() > PAYLOAD_PREVIEW_CHARS) {
      text = text.substring(0, PAYLOAD_PREVIEW_CHARS) + "...(" + text.length() + " chars)";
    }
    return "Message[trace="
        + TraceIds.format(traceId)
        + ", plane="
        + plane
        + ", ts="
        + timestampNanos
        + (headers.isEmpty() ? "" : ", headers=" + headers)
        + ", payload="
        + payload.getClass().getSimpleName()
        + ':'
        + text
        + ']';
  }
}
