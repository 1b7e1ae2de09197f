/**
 * The {@code weir-stress} command ({@code engine-testkit/target/weir-stress.jar}): built-in graphs
 * and scenarios per category, run through the toolkit and reported as one suite. Not API: run it,
 * don't link against it.
 */
@NullMarked
package dev.weir.testkit.internal.cli;

import org.jspecify.annotations.NullMarked;
