/**
 * Not API: implementation classes of {@code dev.weir.core}. Anything here may change in any
 * release; reach it only through the public types' builders and factories.
 *
 * <p>VarHandle naming: an accessor's name carries its access mode ({@code headAcquire()}, {@code
 * setTailRelease()}, {@code casHead()}), and each VarHandle constant is named after its field in
 * upper snake case ({@code HEAD} for {@code head}). A field read or written without a suffix is
 * owned by one thread and accessed plainly.
 */
@NullMarked
package dev.weir.core.internal;

import org.jspecify.annotations.NullMarked;
