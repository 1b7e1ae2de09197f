/**
 * The JUnit 5 side of the toolkit: {@link dev.weir.testkit.junit.WeirTest} gives a test a
 * replayable seed ({@code long} or {@link dev.weir.testkit.junit.Seed} parameter), puts the command
 * that replays a failure in its message ({@link dev.weir.testkit.junit.SeedReplayError}) and writes
 * the failure's artifacts, including the snapshot of each graph the test watched through {@link
 * dev.weir.testkit.junit.FailureArtifacts}, before the test's teardown runs.
 */
@NullMarked
package dev.weir.testkit.junit;

import org.jspecify.annotations.NullMarked;
