package dev.weir.testing;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import dev.weir.core.OfferStatus;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PayloadValidator;
import dev.weir.core.PortSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * A deliberately naive reference model of an edge, written from {@code DESIGN.md} and the javadoc
 * of {@link OverflowPolicy}, for comparing the real, lock-free edges against in lockstep: two plain
 * lists, no indices, no concurrency.
 *
 * <p>Where the documentation leaves a choice open the model pins the engine's behaviour and says
 * so: a keyed COALESCE merges into the <em>newest</em> queued message with the incoming key, and
 * applies its fallback (BLOCK, DROP or LATEST) when none has it, never merging across keys; a merge
 * result that is not of the port's type, or that the port's validator refuses, fails the offer like
 * a throwing merge.
 *
 * <p>Thread-safety: not thread-safe.
 *
 * @param <T> the port's payload type
 */
public final class EdgeModel<T> {

  /**
   * What the model expects of one offer.
   *
   * @param status the expected status
   * @param evicted the message an EVICTED offer must carry, else null
   */
  public record Outcome(OfferStatus status, Message<?> evicted) {}

  private final PortSpec<T> port;
  private final int capacity;
  private final int controlCapacity;
  private final OverflowPolicy policy;
  private final List<Message<?>> data = new ArrayList<>();
  private final List<Message<?>> control = new ArrayList<>();
  private boolean closed;

  /**
   * Creates an empty, open model.
   *
   * @param port the consumer's port
   * @param spec the edge spec
   */
  public EdgeModel(PortSpec<T> port, EdgeSpec spec) {
    this.port = port;
    this.capacity = spec.capacity();
    this.controlCapacity = spec.controlCapacity();
    this.policy = spec.policy();
  }

  /**
   * Applies an offer.
   *
   * @param message the offered message
   * @return the expected outcome
   */
  public Outcome offer(Message<?> message) {
    if (closed) {
      return new Outcome(OfferStatus.CLOSED, null);
    }
    if (!acceptable(message.payload())) {
      return new Outcome(OfferStatus.REJECTED, null);
    }
    if (message.isControl()) {
      if (control.size() < controlCapacity) {
        control.add(message);
        return new Outcome(OfferStatus.ACCEPTED, null);
      }
      return new Outcome(OfferStatus.BLOCKED, null);
    }
    if (data.size() < capacity) {
      data.add(message);
      return new Outcome(OfferStatus.ACCEPTED, null);
    }
    return switch (policy.kind()) {
      case BLOCK -> new Outcome(OfferStatus.BLOCKED, null);
      case DROP -> new Outcome(OfferStatus.DROPPED, null);
      case FAIL -> new Outcome(OfferStatus.FAILED, null);
      case LATEST -> {
        Message<?> oldest = data.remove(0);
        data.add(message);
        yield new Outcome(OfferStatus.EVICTED, oldest);
      }
      case COALESCE -> coalesce(message);
    };
  }

  private Outcome coalesce(Message<?> incoming) {
    BinaryOperator<Object> merge = Objects.requireNonNull(policy.merge());
    Function<Object, ?> key = policy.key();
    Object merged;
    int target = data.size() - 1;
    try {
      if (key != null) {
        Object wanted = key.apply(incoming.payload());
        target = -1;
        for (int i = data.size() - 1; i >= 0; i--) {
          if (Objects.equals(wanted, key.apply(data.get(i).payload()))) {
            target = i;
            break;
          }
        }
        if (target < 0) {
          return keyAbsent(incoming);
        }
      }
      merged = merge.apply(data.get(target).payload(), incoming.payload());
    } catch (RuntimeException e) {
      return new Outcome(OfferStatus.FAILED, null);
    }
    if (merged == null || !acceptable(merged)) {
      return new Outcome(OfferStatus.FAILED, null);
    }
    data.set(target, data.get(target).withPayload(merged));
    return new Outcome(OfferStatus.COALESCED, null);
  }

  /** A keyed COALESCE offer to a full edge that holds no message of its key: the fallback. */
  private Outcome keyAbsent(Message<?> incoming) {
    OverflowPolicy fallback = Objects.requireNonNull(policy.fallback());
    if (fallback == OverflowPolicy.DROP) {
      return new Outcome(OfferStatus.DROPPED, null);
    }
    if (fallback == OverflowPolicy.LATEST) {
      Message<?> oldest = data.remove(0);
      data.add(incoming);
      return new Outcome(OfferStatus.EVICTED, oldest);
    }
    return new Outcome(OfferStatus.BLOCKED, null);
  }

  private boolean acceptable(Object payload) {
    if (!port.type().isInstance(payload)) {
      return false;
    }
    PayloadValidator<? super T> validator = port.validator();
    if (validator == null) {
      return true;
    }
    try {
      return validator.validate(port.type().cast(payload)) == null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Applies a poll.
   *
   * @return the message the edge must deliver: the oldest CONTROL one, else the oldest DATA one,
   *     else null
   */
  public Message<?> poll() {
    if (!control.isEmpty()) {
      return control.remove(0);
    }
    return data.isEmpty() ? null : data.remove(0);
  }

  /**
   * Applies a discardAll.
   *
   * @return every queued message, CONTROL first, each lane oldest first
   */
  public List<Message<?>> discardAll() {
    List<Message<?>> all = new ArrayList<>(control);
    all.addAll(data);
    control.clear();
    data.clear();
    return all;
  }

  /** Applies a close. */
  public void close() {
    closed = true;
  }

  /**
   * Returns the queued DATA messages.
   *
   * @return a copy, oldest first
   */
  public List<Message<?>> data() {
    return List.copyOf(data);
  }

  /**
   * Returns the queued CONTROL messages.
   *
   * @return a copy, oldest first
   */
  public List<Message<?>> control() {
    return List.copyOf(control);
  }

  /**
   * Returns whether two messages are the same delivery: equal payloads, headers, trace id,
   * timestamp and plane. (A coalesced message is a new object with its target's metadata.)
   *
   * @param a a message or null
   * @param b a message or null
   * @return whether they match
   */
  public static boolean sameDelivery(Message<?> a, Message<?> b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.payload().equals(b.payload())
        && a.headers().equals(b.headers())
        && a.traceId() == b.traceId()
        && a.timestampNanos() == b.timestampNanos()
        && a.plane() == b.plane();
  }
}
