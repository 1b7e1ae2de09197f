package dev.weir.core;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A named, typed port of a {@link Node}: its name, its payload type and, for inputs, an optional
 * {@link PayloadValidator} and whether it must be connected.
 *
 * <p>Wiring checks types on erased classes: an output can feed an input when the input's type is
 * assignable from the output's ({@code Object} accepts anything). Generic arguments ({@code
 * List<String>} vs {@code List<Long>}) are not checked. Primitive classes are boxed, so {@code
 * long.class} and {@code Long.class} are the same port type.
 *
 * <p>Ports compare by name, type and required flag; two nodes may declare equal specs.
 *
 * <p>Thread-safety: immutable.
 *
 * @param <T> the payload type
 */
public final class PortSpec<T> {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-]+");

  private final String name;
  private final Class<T> type;
  private final @Nullable PayloadValidator<? super T> validator;
  private final boolean required;

  private PortSpec(
      String name,
      Class<T> type,
      @Nullable PayloadValidator<? super T> validator,
      boolean required) {
    this.name = name;
    this.type = type;
    this.validator = validator;
    this.required = required;
  }

  /**
   * Creates a required port that carries payloads of a type.
   *
   * @param name letters, digits, {@code _} or {@code -}; unique among the node's inputs or outputs
   * @param type the payload class; primitives are boxed
   * @param <T> the payload type
   * @return a new port spec
   * @throws IllegalArgumentException if the name is empty or has other characters
   */
  public static <T> PortSpec<T> of(String name, Class<T> type) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "port name '"
              + name
              + "' is invalid: use letters, digits, '_' or '-' (dots separate node and port)");
    }
    return new PortSpec<>(name, boxed(type), null, true);
  }

  /**
   * Returns a copy that validates every payload offered to it.
   *
   * @param check the validator; its reason ends up in the rejection
   * @return a new port spec
   */
  public PortSpec<T> withValidator(PayloadValidator<? super T> check) {
    return new PortSpec<>(name, type, Objects.requireNonNull(check, "check"), required);
  }

  /**
   * Returns a copy that may be left unconnected when used as an input.
   *
   * @return a new port spec
   */
  public PortSpec<T> optional() {
    return new PortSpec<>(name, type, validator, false);
  }

  /**
   * Returns the port name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the payload type.
   *
   * @return the boxed payload class
   */
  public Class<T> type() {
    return type;
  }

  /**
   * Returns whether an input with this spec must be connected for the graph to build.
   *
   * @return whether the port is required
   */
  public boolean isRequired() {
    return required;
  }

  /**
   * Returns the validator.
   *
   * @return the validator, or {@code null} if none
   */
  public @Nullable PayloadValidator<? super T> validator() {
    return validator;
  }

  /**
   * Returns whether this input port can receive what an output port emits.
   *
   * @param output the producing port
   * @return whether this port's type is assignable from the output's
   */
  public boolean canReceiveFrom(PortSpec<?> output) {
    return type.isAssignableFrom(output.type);
  }

  /**
   * Checks a payload against this port's type and validator.
   *
   * @param payload the candidate payload
   * @return {@code null} if acceptable, else the reason it is not
   */
  public @Nullable String check(Object payload) {
    if (!type.isInstance(payload)) {
      return "payload of type "
          + payload.getClass().getTypeName()
          + " is not a "
          + type.getTypeName()
          + " (port '"
          + name
          + "')";
    }
    PayloadValidator<? super T> v = validator;
    if (v == null) {
      return null;
    }
    String reason;
    try {
      reason = v.validate(type.cast(payload));
    } catch (RuntimeException e) {
      reason = "validator threw " + e;
    }
    return reason == null
        ? null
        : "payload rejected by the validator of port '" + name + "': " + reason;
  }

  /**
   * Casts a message received on this port to the port's type, checking its payload.
   *
   * @param message a message delivered on this port
   * @return the same message, typed
   * @throws ClassCastException if the payload is not of this port's type
   */
  @SuppressWarnings("unchecked")
  public Message<T> cast(Message<?> message) {
    if (!type.isInstance(message.payload())) {
      throw new ClassCastException(
          "port '"
              + name
              + "' takes "
              + type.getTypeName()
              + " but the message carries a "
              + message.payload().getClass().getTypeName());
    }
    return (Message<T>) message;
  }

  @SuppressWarnings("unchecked")
  private static <T> Class<T> boxed(Class<T> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    Class<?> boxed;
    if (type == int.class) {
      boxed = Integer.class;
    } else if (type == long.class) {
      boxed = Long.class;
    } else if (type == double.class) {
      boxed = Double.class;
    } else if (type == boolean.class) {
      boxed = Boolean.class;
    } else if (type == float.class) {
      boxed = Float.class;
    } else if (type == short.class) {
      boxed = Short.class;
    } else if (type == byte.class) {
      boxed = Byte.class;
    } else if (type == char.class) {
      boxed = Character.class;
    } else {
      throw new IllegalArgumentException("void is not a payload type");
    }
    return (Class<T>) boxed;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof PortSpec<?> other)) {
      return false;
    }
    return name.equals(other.name) && type == other.type && required == other.required;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, required);
  }

  @Override
  public String toString() {
    return name + ":" + type.getSimpleName() + (required ? "" : "?");
  }
}
