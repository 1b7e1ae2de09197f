package dev.weir.scheduler;

import dev.weir.core.NodeOption;

/**
 * The scheduler's ready-queue bands, most urgent first. A node runs in the band configured for it
 * (NORMAL by default) and is lifted to CONTROL while a CONTROL message is pending for it. Bands are
 * served by weighted ratio (8:4:2:1 by default), so a higher band is preferred but no band starves.
 *
 * <p>Set a node's band where it is added, {@code builder.add("alerts", node, Priority.HIGH)}, or by
 * name with {@link Scheduler.Builder#priority}, which wins. HIGH, NORMAL and LOW may be given;
 * CONTROL is reserved for pending CONTROL messages, and {@link Scheduler#start} refuses a node
 * given it.
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum Priority implements NodeOption {
  /** Nodes with a pending CONTROL message. */
  CONTROL,
  /** Latency-sensitive nodes. */
  HIGH,
  /** The default band. */
  NORMAL,
  /** Background work. */
  LOW
}
