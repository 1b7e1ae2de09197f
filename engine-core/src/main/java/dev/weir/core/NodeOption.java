package dev.weir.core;

/**
 * A setting a runtime reads for one node, given where the node is added: {@link
 * GraphBuilder#add(String, Node, NodeOption...)}. The graph stores the options with the node
 * ({@link GraphNode#options()}) without interpreting them; the runtime that starts the graph reads
 * them and refuses to start on an option it does not understand. The scheduler's options are its
 * {@code ErrorPolicy} and {@code Priority}.
 *
 * <p>A node may carry at most one option of each type: {@link GraphBuilder#build()} reports a
 * second one.
 *
 * <p>Thread-safety: implementations must be immutable; a graph and its options are shared by every
 * thread that runs it.
 */
public interface NodeOption {}
