package dev.weir.core;

/**
 * The plane a {@link Message} travels on. CONTROL messages use a separate lane on every edge: they
 * are never dropped, merged or evicted, and a consumer always receives queued CONTROL messages
 * before queued DATA messages.
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum Plane {
  /** Ordinary payload traffic, subject to the edge's capacity and overflow policy. */
  DATA,
  /** Commands and signals that must overtake data: never lost, delivered first. */
  CONTROL
}
