/**
 * End-to-end scenarios: real graphs on the real scheduler, each run with one worker and with
 * several. Every scenario checks what a user can observe (results, snapshots, shutdown reports,
 * dead letters, log events, meters) and closes the conservation ledger: every message is delivered,
 * dropped, evicted, coalesced or dead-lettered, none twice ({@link dev.weir.integration.Ledger}).
 *
 * <p>Scenario classes are named for the shape of their graph and draw it in their javadoc. Shared
 * pieces: {@link dev.weir.integration.WorkerCounts} (the worker-count matrix), {@link
 * dev.weir.integration.DeadLetterRecorder}, {@link dev.weir.integration.LogCapture} and {@link
 * dev.weir.integration.BusyWork}; seeds, replay commands and thread lookups come from
 * engine-testkit ({@link dev.weir.testkit.Seeds}, {@link dev.weir.testkit.WorkerThreads}), the one
 * implementation every suite uses.
 */
package dev.weir.integration;
