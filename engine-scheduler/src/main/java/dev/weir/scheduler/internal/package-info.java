/**
 * Not API: the runtime behind {@code dev.weir.scheduler}. May change in any release.
 *
 * <p>Threads: worker threads run node activations; application threads touch only ingress,
 * snapshots and stop. A node is run by at most one thread at a time: its {@code NodeCell} state
 * machine (IDLE, SCHEDULED, RUNNING, RUNNING_SIGNALED) admits one activation, and the hand-over
 * from one activation to the next goes through the ready queues' lock, which orders everything the
 * previous activation wrote before everything the next one reads.
 *
 * <p>VarHandle naming follows {@code dev.weir.core.internal}: accessors carry their access mode.
 */
@NullMarked
package dev.weir.scheduler.internal;

import org.jspecify.annotations.NullMarked;
