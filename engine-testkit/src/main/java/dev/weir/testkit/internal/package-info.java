/**
 * Implementation of the stress toolkit: not API. Everything here may change without notice; use
 * {@link dev.weir.testkit}.
 */
@NullMarked
package dev.weir.testkit.internal;

import org.jspecify.annotations.NullMarked;
