package dev.weir.scheduler;

/**
 * The scheduler's ready-queue bands, most urgent first. A node runs in the band configured for it
 * (NORMAL by default) and is lifted to CONTROL while a CONTROL message is pending for it. Bands are
 * served by weighted ratio (8:4:2:1 by default), so a higher band is preferred but no band starves.
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum Priority {
  /** Nodes with a pending CONTROL message. */
  CONTROL,
  /** Latency-sensitive nodes. */
  HIGH,
  /** The default band. */
  NORMAL,
  /** Background work. */
  LOW
}
