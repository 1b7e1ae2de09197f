/**
 * Shared test infrastructure of Weir's suites: the jqwik side of replayable seeds ({@link
 * dev.weir.testing.JqwikSeedHook}; JUnit tests take theirs from engine-testkit's
 * {@code @WeirTest}), an edge wrapper that checks the offer ledger after every step ({@link
 * dev.weir.testing.CheckedEdge}), a reference model of edge semantics ({@link
 * dev.weir.testing.EdgeModel}) and a fake {@link dev.weir.core.NodeContext} that records emits
 * ({@link dev.weir.testing.RecordingNodeContext}).
 *
 * <p>Not API: test code only.
 */
package dev.weir.testing;
