package dev.weir.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Raised, or carried in a {@link OfferStatus#FAILED} result, when a message is offered to a full
 * {@link OverflowPolicy#FAIL} edge. The message names the edge and its capacity. (A COALESCE merge
 * that throws fails the offer with a {@link MergeFailedException} instead.)
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class EdgeOverflowException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String edgeId;

  /**
   * Creates the exception.
   *
   * @param edgeId the full edge's id
   * @param message what happened and what to do
   * @param cause the underlying exception, or {@code null}
   */
  public EdgeOverflowException(String edgeId, String message, @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.edgeId = Objects.requireNonNull(edgeId, "edgeId");
  }

  /**
   * Returns the id of the edge that overflowed.
   *
   * @return the edge id, {@code producer.port->consumer.port}
   */
  public String edgeId() {
    return edgeId;
  }
}
