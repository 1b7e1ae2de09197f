package dev.weir.scheduler;

import java.time.Duration;

/**
 * A graph running on a scheduler's workers. Obtained from {@link Scheduler#start}.
 *
 * <p>The graph runs until {@link #stop} is called or a node's {@link ErrorPolicy#STOP_GRAPH} fires.
 * When every source is exhausted, every ingress completed ({@link Ingress#complete()}) and all
 * edges have drained, the graph finishes on its own ({@code onFinish} cascades downstream) and
 * {@link #awaitCompletion} returns; {@link #stop} still runs {@code onStop} and returns the report.
 *
 * <p>Three waits, from strongest to weakest: {@link #awaitCompletion} (every node finished: the
 * graph will do nothing more), {@link #awaitDrained} (every edge empty and nothing queued, running
 * or blocked at one instant: what was fed so far has been processed, while ticks and ingresses may
 * still bring more) and {@link #awaitQuiescence} (the scheduler idle: no activation queued or
 * running, whatever the edges hold).
 *
 * <p>Thread-safety: every method is safe from any application thread. {@link #stop} cannot wait on
 * the graph's own threads: from inside a node's hook or a callback the graph runs it throws (see
 * there); use {@link ErrorPolicy#STOP_GRAPH}, or stop from another thread.
 */
public interface RunningGraph {

  /**
   * Returns the graph name.
   *
   * @return the name
   */
  String name();

  /**
   * Returns a named ingress.
   *
   * @param name the ingress name declared in the graph
   * @param type the payload type to offer: its target port's type, or a subtype of it
   * @param <T> the payload type
   * @return the ingress
   * @throws IllegalArgumentException if there is no such ingress, or its port takes another type;
   *     the message lists the declared ingresses
   */
  <T> Ingress<T> ingress(String name, Class<T> type);

  /**
   * Waits until every node has finished on its own (all sources exhausted, all ingresses completed,
   * all edges drained) or the graph stopped. Once it returns {@code true} after completion, the
   * last activation has ended too, so a {@link #snapshot()} taken then is final. A graph with an
   * ingress finishes on its own only after {@link Ingress#complete()} (until then an application
   * thread may still offer): complete its ingresses, or wait for {@link #awaitDrained} and {@link
   * #stop} it. A node with no inputs that is not a source (e.g. one that only ticks) finishes only
   * in a stop. After a stop it returns {@code true} at once; if that stop timed out with a node
   * stuck in a hook, {@link #isRunning} says when the hook has returned.
   *
   * @param timeout the longest wait
   * @return whether the graph completed in time
   * @throws InterruptedException if interrupted while waiting
   */
  boolean awaitCompletion(Duration timeout) throws InterruptedException;

  /**
   * Waits until the graph is drained: at one instant, every edge was empty (DATA and CONTROL lanes,
   * ingress edges included), no activation was queued or running, and no node was blocked with
   * messages parked in its outbox. A tick that has fired (with a {@link VirtualClock}: inside
   * {@code advance}) is queued work and must run first, and so is a tick already due when this is
   * called; ticks that fall due later are ignored, so a periodic node does not keep it from
   * returning as long as the graph drains between two of its ticks. This is the wait that means
   * "everything fed so far has been processed".
   *
   * <p>{@code true} means the condition held at an instant after this call began, observed
   * consistently: the engine checks it at the moments the scheduler goes idle, on the thread that
   * made it idle and before any activation can start again, and an edge can only gain messages,
   * never lose them, while no activation runs, so edges seen empty then were all empty at that
   * instant. Everything the calling thread did before the call (offers, {@code advance}) is part of
   * what must have drained. It does not say that the graph is still drained on return: a later
   * tick, an ingress offer from another thread or a {@link dev.weir.core.InputGate#resume} may have
   * started new work.
   *
   * <p>It returns {@code false} at the timeout while anything stays in an edge or an outbox, even
   * if the scheduler is idle: input queued for a paused node, a loop of full BLOCK edges that
   * deadlocked, a node blocked on a paused consumer. If the graph stops while it waits, it returns
   * once the stop is done: {@code true} if no edge holds a message then (a stop delivers or
   * dead-letters everything), {@code false} if a node stuck in a hook still holds input (see {@link
   * ShutdownReport#stopFailures()}).
   *
   * <p>Thread-safety: safe from any number of application threads at once; called from inside a
   * node's hook it can only time out, since that hook's own activation is running.
   *
   * @param timeout the longest wait; zero or negative: only look once
   * @return whether the graph drained in time
   * @throws InterruptedException if interrupted while waiting
   * @throws NullPointerException if {@code timeout} is null
   */
  boolean awaitDrained(Duration timeout) throws InterruptedException;

  /**
   * Waits until the scheduler is idle: no activation queued or running and, when it looks, no tick
   * due (it fires due ticks itself, then waits again). It does not look at the edges: input queued
   * for a paused node, or a loop of full BLOCK edges that deadlocked (its members stay blocked, and
   * idle), leave the scheduler idle; parked ingress puts may wait too. On the system clock a tick
   * may fall due between the scheduler going idle and this wait looking, so a ticking node that
   * keeps its consumers busy for most of its interval can keep it from ever returning {@code true}:
   * use {@link #awaitDrained} to wait for "everything fed so far has been processed". Useful in
   * tests that drive a {@link VirtualClock}, where no tick falls due unless the test advances it.
   *
   * @param timeout the longest wait
   * @return whether the graph went quiet in time
   * @throws InterruptedException if interrupted while waiting
   */
  boolean awaitQuiescence(Duration timeout) throws InterruptedException;

  /**
   * Returns how much work the graph has done since it started: the number of messages its nodes
   * have processed (DATA and CONTROL, each counted when its {@code onMessage} returned or threw)
   * plus the number of ticks they ran ({@code onTick} returned or threw), over every node, restarts
   * included. Unlike {@link #snapshot()} it allocates nothing and reads one counter pair per node,
   * so a watchdog can call it often: "work pending and no progress for a while" means the graph is
   * stuck ({@link GraphSnapshot#hasPendingWork()} says whether work is pending). Activations that
   * take no message and run no tick (e.g. a blocked node retrying its outbox) do not count, so
   * neither a stuck hook nor a busy loop that gets nothing done moves it.
   *
   * <p>Each node's counters are written only by the activation running it, with single-writer
   * opaque stores: counting costs the hot path no atomic instruction and no shared cache line.
   * Memory ordering: the value is monotonic for any one thread (a later call never returns less
   * than an earlier one on the same thread), and a call that happens-after another (on any thread)
   * returns at least what that one returned. It is not a synchronization point: reading a count
   * does not make the processed messages' effects visible, and a count becomes visible to other
   * threads eventually (opaque mode guarantees that much; in practice at once), not at a bounded
   * instant. The terms are read one after another, so the sum need not equal the graph's count at
   * any one instant.
   *
   * <p>Thread-safety: safe from any thread, including inside a node's hook; wait-free.
   *
   * @return messages processed plus ticks run, never negative, never decreasing
   */
  long progress();

  /**
   * Returns a snapshot of edge counters, node states, ready queues and recent events.
   *
   * @return the snapshot
   */
  GraphSnapshot snapshot();

  /**
   * Stops the graph: ingress closes, sources stop, edges drain and {@code onFinish} cascades
   * upstream-first within the timeout; then {@code onStop} runs for every node in reverse
   * topological order, even if the timeout fired. Whatever is left undelivered goes to the
   * dead-letter handler. Idempotent: later calls wait for the first and return its report.
   *
   * <p>It must not wait for itself. Called on one of the graph's workers (inside a hook, or in a
   * callback the graph completes, such as a {@code thenRun} on a sink's future), it starts the stop
   * on a thread of its own and throws {@link IllegalStateException}; call it from another thread
   * for the report. Called again on the thread that is stopping the graph (from {@code onStop} or a
   * dead-letter handler), it throws at once.
   *
   * @param timeout how long draining may take
   * @return what happened
   * @throws IllegalStateException if called on one of the graph's workers, or again on the thread
   *     stopping it
   */
  ShutdownReport stop(Duration timeout);

  /**
   * Returns whether the graph is still running (not yet fully stopped): before {@link #stop} has
   * returned, and after a stop that timed out while a worker is still inside a node's hook (see
   * {@link ShutdownReport#stopFailures()}). Once it returns {@code false}, every node's {@code
   * onStop} has run and the graph may be started again.
   *
   * @return whether workers are still active for this graph
   */
  boolean isRunning();
}
