package dev.weir.core;

import org.jspecify.annotations.Nullable;

/**
 * A check an input port applies to every payload offered to it, after the type check. A payload
 * that fails is rejected ({@link OfferStatus#REJECTED}) with the returned reason and counted; it
 * never reaches the node.
 *
 * <p>Thread-safety: called on the producer's thread; must be side-effect free.
 *
 * @param <T> the port's payload type
 */
@FunctionalInterface
public interface PayloadValidator<T> {

  /**
   * Checks a payload.
   *
   * @param payload the payload, already known to be of the port's type
   * @return {@code null} if the payload is valid, else a short reason for the rejection
   */
  @Nullable String validate(T payload);
}
