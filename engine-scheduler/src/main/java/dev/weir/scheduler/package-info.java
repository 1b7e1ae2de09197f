/**
 * The Weir runtime: {@link dev.weir.scheduler.Scheduler} starts a validated {@code Graph} and
 * returns a {@link dev.weir.scheduler.RunningGraph} that applications feed through {@link
 * dev.weir.scheduler.Ingress}, observe through {@link dev.weir.scheduler.GraphSnapshot} and stop
 * with a {@link dev.weir.scheduler.ShutdownReport}.
 */
@NullMarked
package dev.weir.scheduler;

import org.jspecify.annotations.NullMarked;
