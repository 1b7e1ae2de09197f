/**
 * Weir's data model: messages, ports, overflow policies, edges, the node API and the graph builder.
 * Everything here is usable without a scheduler, which makes the model testable on its own; {@code
 * dev.weir.scheduler} turns a validated {@link dev.weir.core.Graph} into a running one.
 */
@NullMarked
package dev.weir.core;

import org.jspecify.annotations.NullMarked;
