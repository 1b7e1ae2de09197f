package dev.weir.scheduler.internal;

import dev.weir.core.Clock;
import dev.weir.core.EdgeOverflowException;
import dev.weir.core.Headers;
import dev.weir.core.InputGate;
import dev.weir.core.MergeFailedException;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.core.Plane;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import dev.weir.core.TraceIds;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.NodeState;
import dev.weir.scheduler.Priority;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/*
 * Concurrency: `state` admits one activation at a time.
 *
 *   IDLE       not queued, not running
 *   SCHEDULED  in a ready queue (or about to be pushed by whoever set it)
 *   RUNNING    a worker runs an activation
 *   PENDING    (a flag on the others) work arrived that the activation may not have seen
 *
 * signal() sets PENDING with an atomic OR (a full fence, so whatever the signaller published before
 * is visible to any activation that starts after it). If the cell was IDLE, the signaller moves it
 * to SCHEDULED and pushes it. beginActivation() moves SCHEDULED to RUNNING (clearing PENDING: the
 * activation is about to look at its inputs) or, if another worker is already running the cell,
 * leaves PENDING set and declines. At the end, RUNNING goes to IDLE by CAS; if PENDING was set
 * meanwhile, the cell is pushed again instead. Hence no lost wake-up and never two activations at
 * once.
 *
 * Fast path: a signal that finds the cell SCHEDULED, or RUNNING with PENDING already set, needs no
 * write: an activation will begin after the state it read (beginActivation's CAS comes later in
 * the order of writes to `state`), and that activation polls the inputs. It must see what the
 * signaller offered: the signaller fences (full) between its offer and its read of `state`, and
 * beginActivation fences between its CAS and the first poll. That is Dekker with fences on both
 * sides: the signaller sees the CAS, or the activation sees the offer. It spares the atomic OR,
 * which took the state's cache line away from the consumer on every ingress offer and emit.
 *
 * Blocked cells: a cell that is blocked takes no input until its outbox drains, so signalInput()
 * (new input from an upstream emit or an ingress offer) does not queue it at its own band: before,
 * every offer to a blocked node cost its worker an activation that could only find the edge still
 * full. A CONTROL input is still signalled (at a band above the cell's own, it may lift a cell that
 * is already queued; DESIGN: a pending CONTROL message lifts it). A cell is unblocked by one of its
 * own activations (flushOutbox), which then polls the inputs, in its own loop or in the one it
 * re-queues itself for; or for good, by a path after which its input is never polled again
 * (stopByPolicy, which discards it; a loop finishing as a whole, or shutdown's final drain, whose
 * leftover input is dead-lettered by the drain). The polls must see every offer whose signal was
 * skipped: the signaller fences (full) between its offer and its read of `blockedOn`, and
 * markUnblocked fences between clearing `blockedOn` and the first poll. Dekker again: the
 * signaller sees the cell unblocked (and signals), or the activation sees the offer. stopByPolicy
 * unblocks the same way before it discards the inputs, so either the signaller queues the cell
 * (and its activation discards what was offered) or the discard sees the offer. Every other
 * wake-up uses signal() and is never skipped: the consumer's progress (wakeProducer), ticks,
 * resume, upstreamDone, start and shutdown. Pinned by NodeCellStress.BlockedInputSkip.
 *
 * Fields below "activation-owned" are touched only by the running activation; successive
 * activations are ordered by the ReadyQueues (the lock, or the one worker's program order) and by
 * the CAS on `state`.
 *
 * Invariants: blocked == !blockedLinks.isEmpty() == (some link's outbox, `parked` or
 * `parkedControl`, is non-empty).
 * A blocked cell processes no input and no tick; it only retries its outbox.
 */

/**
 * Not API: one node of a running graph: its scheduling state, its activation loop, its outbox and
 * its {@link NodeContext}.
 *
 * <p>Thread-safety: {@link #signal} and the read-only views are safe from any thread; everything
 * else runs on the worker holding the activation.
 */
final class NodeCell implements NodeContext, InputGate {

  static final int IDLE = 0;
  static final int SCHEDULED = 1;
  static final int RUNNING = 2;
  static final int PENDING = 4;

  private static final int CONTROL_BAND = Priority.CONTROL.ordinal();

  private static final int HOOK_MESSAGE = 0;
  private static final int HOOK_TICK = 1;
  private static final int HOOK_FINISH = 2;
  private static final int HOOK_PULL = 3;
  private static final int HOOK_START = 4;
  private static final int HOOK_STOP = 5;
  private static final String[] HOOK_NAMES = {
    "onMessage", "onTick", "onFinish", "pull", "onStart", "onStop"
  };

  private static final VarHandle STATE;
  private static final VarHandle LAST_HOOK;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(NodeCell.class, "state", int.class);
      LAST_HOOK = MethodHandles.lookup().findVarHandle(NodeCell.class, "lastHook", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final int index;
  final String name;
  final Node node;
  final int band;
  private final boolean source;
  private final ErrorPolicy policy;
  private final GraphRuntime runtime;
  private final Clock clock;
  private final Logger log;
  private final TraceIds traceIds;
  private final int batchLimit;

  EdgeLink[] inputs = new EdgeLink[0];

  /** The feedback loop this node belongs to, or null; set once at wiring. */
  @Nullable LoopGroup loop;

  /** Loop members: the last activation ended with outside upstreams done and inputs empty. */
  private volatile boolean loopCandidate;

  OutputPort[] outputs = new OutputPort[0];
  final AtomicInteger openUpstreams = new AtomicInteger();
  final AtomicInteger pendingControl = new AtomicInteger();

  @SuppressWarnings("unused") // accessed through STATE
  private volatile int state;

  /** Owned by the ReadyQueues (under their lock, or by their one worker): see BandDeques. */
  boolean inQueue;

  /** Owned by the ReadyQueues, as inQueue. */
  int queuedBand;

  /** Owned by the ReadyQueues, as inQueue: when the cell was queued (0 unless metrics are on). */
  long queuedAt;

  private volatile @Nullable NodeState lifecycle;
  private volatile @Nullable String blockedOn;

  /**
   * A tick fired and not yet taken. Set by the tick wheel's pass (under its lock), cleared by the
   * activation that takes it or by the wheel's close: the volatile write hands the cell the fired
   * entry (see TickTimers, "Concurrency").
   */
  private final AtomicBoolean tickPending = new AtomicBoolean();

  /** This node's place in the tick wheel, or null if it does not tick; set before the workers. */
  TickTimers.@Nullable Entry tickEntry;

  /** Set by pause(), cleared by resume(), from any thread; read before each input message. */
  private volatile boolean inputPaused;

  /** Set by shutdown when it takes the cell for the final drain or leaves it to a stuck worker. */
  private volatile boolean abandoned;

  private final NodeCounters counters = new NodeCounters();

  /**
   * The hook (HOOK_*) the activation entered last: what a stop that gave up on this cell reports it
   * stuck in. Written opaque by the activation, read opaque by the stopper: no ordering is needed,
   * only a value the stuck worker wrote (opaque is a plain store on the hot path).
   */
  @SuppressWarnings("unused") // accessed through LAST_HOOK
  private int lastHook;

  // --- activation-owned ---
  private final List<EdgeLink> blockedLinks = new ArrayList<>(2);
  private final ArrayDeque<Long> restartTimes = new ArrayDeque<>();
  private int roundRobin;
  private long emitted;
  private boolean pulledNothing;
  private @Nullable EdgeLink polledFrom;

  /**
   * Activation-owned: the inputs this activation polled, in {@code [0, polledCount)}, each once
   * (its {@link EdgeLink#polled} set). Only their producers can have gained room, so only they are
   * woken at the end (wakePolledProducers): waking every waiting producer made a 1,000-way fan-in
   * activate each source about 15 times per message it emitted.
   */
  private EdgeLink[] polledLinks = new EdgeLink[0];

  private int polledCount;

  private boolean blocked;
  private boolean sourceDone;
  private boolean finishCalled;
  private boolean inStop;

  /**
   * Activation-owned: whether {@link #messageStamp} holds this activation's clock reading. Reading
   * the clock costs more than a whole edge hop (about 30 ns here), so an activation reads it once,
   * for the first message it makes, and stamps the rest of its messages with the same reading.
   */
  private boolean stampRead;

  /** Activation-owned: set while an activation runs; outside one, every message reads the clock. */
  private boolean inActivation;

  private long messageStamp;

  /** Activation-owned: set while a source's pull runs; {@link #emitted} when it began. */
  private boolean inPull;

  private long pullStart;

  /** One declared output and the links it fans out to. */
  static final class OutputPort {
    final PortSpec<?> spec;
    EdgeLink[] links = new EdgeLink[0];

    /** Whether the first emit to this output without an edge was logged. */
    boolean unroutedLogged;

    OutputPort(PortSpec<?> spec) {
      this.spec = spec;
    }
  }

  NodeCell(int index, String name, Node node, GraphRuntime runtime, RuntimeConfig config) {
    this.index = index;
    this.name = name;
    this.node = node;
    this.source = node instanceof SourceNode;
    this.band = config.priorityOf(name).ordinal();
    this.policy = config.errorPolicyOf(name);
    this.runtime = runtime;
    this.clock = config.clock();
    this.log = new NodeLogger(name);
    this.traceIds = TraceIds.seeded(TraceIds.derive(config.seed(), index));
    this.batchLimit = config.batchLimit();
    List<PortSpec<?>> declared = node.outputs();
    this.outputs = new OutputPort[declared.size()];
    for (int i = 0; i < outputs.length; i++) {
      outputs[i] = new OutputPort(declared.get(i));
    }
  }

  // ------------------------------------------------------------------ scheduling

  /** Makes sure an activation will look at new work; safe from any thread. */
  void signal(int atBand) {
    signal(atBand, false);
  }

  /**
   * Makes sure an activation will look at new input (an upstream emit or an ingress offer), unless
   * the cell is blocked: then the activation that unblocks it looks (see "Blocked cells" above).
   * Safe from any thread.
   */
  void signalInput(int atBand) {
    signal(atBand, true);
  }

  private void signal(int atBand, boolean input) {
    NodeState l = lifecycle;
    if (l != null && (l == NodeState.FINISHED || inputs.length == 0)) {
      return;
    }
    if (atBand >= band) {
      VarHandle.fullFence(); // store-load: the caller's offer before our reads (see above)
      if (input && blockedOn != null) {
        return; // the activation that unblocks the cell polls its inputs ("Blocked cells")
      }
      int s = state;
      if ((s & SCHEDULED) != 0 || s == (RUNNING | PENDING)) {
        return; // an activation is due and will see the offer; no lift needed at this band
      }
    }
    int prev = (int) STATE.getAndBitwiseOr(this, PENDING);
    if ((prev & (SCHEDULED | RUNNING)) == 0) {
      if (STATE.compareAndSet(this, PENDING, SCHEDULED) || atBand < band) {
        // Either we queue it, or another signaller did (maybe at a less urgent band): lift it.
        // A push for a cell that started running meanwhile only adds a declined activation.
        // Whoever queues a cell that holds an undelivered CONTROL message queues it in the CONTROL
        // band, as endActivation does: above all its consumer, whose progress wakes a node that
        // was blocked on a full edge when the message arrived (its CONTROL-band activation could
        // take nothing) through wakeProducer, at the node's own band.
        runtime.queues.push(this, Math.min(atBand, currentBand()));
      }
    } else if ((prev & SCHEDULED) != 0 && atBand < band) {
      runtime.queues.push(this, atBand); // lift to a more urgent band
    }
  }

  /** Worker: claims the activation; false if another worker is running this cell. */
  boolean beginActivation() {
    for (; ; ) {
      int s = state;
      if ((s & RUNNING) != 0) {
        if (STATE.compareAndSet(this, s, s | PENDING)) {
          return false;
        }
      } else if (STATE.compareAndSet(this, s, RUNNING)) {
        VarHandle.fullFence(); // load after the CAS: pairs with signal's fast path
        return true;
      }
    }
  }

  private void endActivation(boolean again) {
    if (!again && STATE.compareAndSet(this, RUNNING, IDLE)) {
      return;
    }
    STATE.setVolatile(this, SCHEDULED);
    runtime.queues.push(this, currentBand());
  }

  private int currentBand() {
    return pendingControl.get() > 0 ? CONTROL_BAND : band;
  }

  // ------------------------------------------------------------------ the activation

  /** Worker: runs one activation. Precondition: {@link #beginActivation()} returned true. */
  void activate() {
    long started = runtime.metrics.now();
    boolean again;
    inActivation = true;
    stampRead = false;
    try {
      again = activateBody();
    } catch (Throwable escaped) {
      inActivation = false;
      // An Error from the engine itself or a dead-letter handler: the activation's state can no
      // longer be trusted. Stop the node so the graph keeps running, then release the cell.
      crash(escaped);
      again = false;
      if (Failures.isFatal(escaped)) {
        runtime.metrics.busySince(this, started);
        endActivation(false);
        throw escaped;
      }
    }
    inActivation = false;
    // Record before the hand-over: the next activation may run on another worker at once.
    runtime.metrics.busySince(this, started);
    endActivation(again);
    LoopGroup group = loop;
    if (group != null && (loopCandidate || isTerminated())) {
      group.tryFinish(); // after our own transition to IDLE: see LoopGroup
    }
  }

  private void crash(Throwable escaped) {
    try {
      log.error("node {}: an error escaped its activation; stopping the node", name, escaped);
      stopByPolicy("an error escaped its activation", escaped);
    } catch (Throwable secondary) {
      escaped.addSuppressed(secondary);
      lifecycle = NodeState.FAILED;
    }
  }

  /** Returns whether the cell should run again right away. */
  private boolean activateBody() {
    counters.increment(NodeCounters.ACTIVATIONS);
    if (isTerminated()) {
      if (lifecycle != NodeState.FINISHED) {
        discardInputs(DeadLetter.Reason.CONSUMER_STOPPED);
      }
      return false;
    }
    int processed = 0;
    if (blocked) {
      flushOutbox();
    }
    if (!blocked && tickPending.getAndSet(false)) {
      long now = clock.nanoTime();
      takeTick(now);
      runtime.events.record(now, EventLog.Type.TICK, index, 0);
      invoke(HOOK_TICK, null, null);
      counters.increment(NodeCounters.TICKS);
    }
    while (!blocked && !inputPaused && processed < batchLimit && !isTerminated() && !abandoned) {
      Message<?> message = pollNextInput();
      EdgeLink from = polledFrom;
      if (message == null || from == null) {
        break;
      }
      if (message.isControl()) {
        pendingControl.decrementAndGet();
        runtime.metrics.controlDeliveredSince(message.timestampNanos());
      }
      if (from.producerWaitingOpaque() && from.claimProducerWaiting()) {
        from.wakeProducer();
      }
      processed++;
      invoke(HOOK_MESSAGE, from, message);
      // Per message, not per batch: RunningGraph.progress() must move while a slow node works
      // through a batch. A single-writer opaque store to the node's own counters: no contention.
      counters.increment(NodeCounters.MESSAGES);
    }
    boolean again = processed >= batchLimit;
    if (source && !blocked && !sourceDone && !isTerminated()) {
      if (runtime.isStopping()) {
        sourceDone = true;
      } else if (everyConsumerStopped()) {
        // Whatever it emitted now would only become dead letters: the source is done, as a
        // cancelled subscription ends a publisher, and the graph can still complete.
        log.info("node {}: every consumer of its outputs has stopped; the source is done", name);
        sourceDone = true;
      } else if (hasDemand()) {
        again |= pull();
      }
    }
    if (!isTerminated() && !abandoned) {
      maybeFinish();
    }
    if (abandoned) {
      // Shutdown gave up waiting for this activation: no more hooks, no more emits; the worker
      // loop does the final drain (finishAbandoned).
      return false;
    }
    // waitForRoom may flush parked messages, so consumers are signalled after it: a message
    // accepted by that last flush must not sit in an edge whose consumer nobody woke.
    again |= waitForRoom();
    signalTouchedConsumers();
    // Only a poll makes room, so only the producers of the edges this activation polled are
    // woken. Waking the producers of an activation that took nothing (e.g. a blocked node, which
    // takes no input) kept a loop of full BLOCK edges busy forever: each blocked member woke the
    // other, which found no room and woke it back.
    wakePolledProducers();
    runtime.events.record(clock.nanoTime(), EventLog.Type.ACTIVATE, index, processed);
    return again && !isTerminated();
  }

  /**
   * Pulls the source once. Returns whether to run again right away: only if it emitted and is not
   * blocked. A pull that emits nothing (e.g. the source respected a full output's demand) waits for
   * its consumers' progress (waitForRoom) or its next tick, instead of spinning.
   */
  private boolean pull() {
    long before = emitted;
    boolean more;
    pullStart = before;
    inPull = true;
    LAST_HOOK.setOpaque(this, HOOK_PULL);
    try {
      more = ((SourceNode) node).pull(this);
    } catch (Throwable t) {
      inPull = false;
      if (Failures.isFatal(t)) {
        throw (Error) t;
      }
      onFailure("pull", null, null, t);
      // Pulled again under CONTINUE or after a RESTART: a failure is not "nothing to emit", and
      // no consumer progress may ever come to wake the source. A pull that fails for good is for
      // STOP_NODE or a restart budget to end, not for the scheduler to park silently.
      pulledNothing = false;
      return !blocked && !isTerminated();
    }
    inPull = false;
    if (!more) {
      sourceDone = true;
      return false;
    }
    pulledNothing = emitted == before;
    return !blocked && !pulledNothing;
  }

  /**
   * Takes the next input message: a pending CONTROL message first (from whichever input holds one),
   * else round robin over the inputs, one message per input per turn. Sets {@link #polledFrom}.
   */
  private @Nullable Message<?> pollNextInput() {
    EdgeLink[] in = inputs;
    int n = in.length;
    if (pendingControl.get() > 0) {
      for (EdgeLink link : in) {
        if (link.edge.controlDepth() > 0) {
          Message<?> m = link.edge.poll();
          if (m != null) {
            notePolled(link);
            return m;
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      int at = roundRobin + i < n ? roundRobin + i : roundRobin + i - n;
      EdgeLink link = in[at];
      Message<?> m = link.edge.poll();
      if (m != null) {
        roundRobin = at + 1 < n ? at + 1 : 0;
        notePolled(link);
        return m;
      }
    }
    polledFrom = null;
    return null;
  }

  /**
   * Announces, on every edge the cell waits on, that it needs room, then re-checks (the producer
   * half of the protocol in EdgeLink). Returns true if the re-check found room.
   */
  private boolean waitForRoom() {
    if (blocked) {
      for (EdgeLink link : blockedLinks) {
        link.setProducerWaitingVolatile();
      }
      // Store-load: the flags must be visible before we look at the consumers' heads again.
      VarHandle.fullFence();
      flushOutbox();
      return !blocked;
    }
    if (source && !sourceDone && !isTerminated() && !runtime.isStopping()) {
      if (!pulledNothing && hasDemand()) {
        return true;
      }
      for (OutputPort out : outputs) {
        for (EdgeLink link : out.links) {
          link.setProducerWaitingVolatile();
        }
      }
      VarHandle.fullFence();
      // A source that emitted nothing although it had demand would spin if re-run now; it waits
      // for any consumer to make progress (or for its next tick) instead.
      return !pulledNothing && hasDemand();
    }
    return false;
  }

  /** Whether this node has edges and every one of them was closed by its consumer stopping. */
  private boolean everyConsumerStopped() {
    boolean any = false;
    for (OutputPort out : outputs) {
      for (EdgeLink link : out.links) {
        if (!link.edge.isClosed()) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  /** Sets {@link #polledFrom} and records the link among this activation's polled inputs. */
  private void notePolled(EdgeLink link) {
    polledFrom = link;
    if (!link.polled) {
      link.polled = true;
      if (polledLinks.length != inputs.length) {
        polledLinks = new EdgeLink[inputs.length];
      }
      polledLinks[polledCount++] = link;
    }
  }

  /**
   * The consumer half of the protocol for this activation's polls: fence, then wake the producers
   * of the polled edges that wait for room. An edge this activation did not poll gained no room
   * from it; a producer waiting on it is woken by the activation that polls it (every poll is
   * followed by this fence and check), or saw the room itself in its re-check.
   */
  private void wakePolledProducers() {
    if (polledCount == 0) {
      return;
    }
    VarHandle.fullFence();
    for (int i = 0; i < polledCount; i++) {
      EdgeLink link = polledLinks[i];
      link.polled = false;
      if (link.producerWaitingOpaque() && link.claimProducerWaiting()) {
        link.wakeProducer();
      }
    }
    polledCount = 0;
  }

  /** The consumer half of the protocol after polling every input: fence, wake every waiter. */
  private void wakeWaitingProducers() {
    VarHandle.fullFence();
    for (int i = 0; i < polledCount; i++) {
      polledLinks[i].polled = false;
    }
    polledCount = 0;
    for (EdgeLink link : inputs) {
      if (link.producerWaitingOpaque() && link.claimProducerWaiting()) {
        link.wakeProducer();
      }
    }
  }

  private void signalTouchedConsumers() {
    for (OutputPort out : outputs) {
      for (EdgeLink link : out.links) {
        if (link.touched) {
          link.touched = false;
          boolean control = link.touchedControl;
          link.touchedControl = false;
          link.consumer.signalInput(control ? CONTROL_BAND : link.consumer.band);
        }
      }
    }
  }

  private boolean hasDemand() {
    boolean connected = false;
    for (OutputPort out : outputs) {
      if (out.links.length > 0) {
        connected = true;
        if (demandOf(out) > 0) {
          return true;
        }
      }
    }
    return !connected;
  }

  // ------------------------------------------------------------------ finishing

  private void maybeFinish() {
    if (lifecycle != null) {
      return;
    }
    if (loop != null && !finishCalled) {
      // A loop finishes as a whole (LoopGroup); this member only says whether it could.
      loopCandidate = openUpstreams.get() == 0 && inputsEmpty() && !blocked;
      return;
    }
    boolean done;
    if (source) {
      done = sourceDone;
    } else if (inputs.length == 0) {
      done = runtime.isStopping();
    } else {
      done = openUpstreams.get() == 0 && inputsEmpty();
    }
    if (!done || blocked) {
      return;
    }
    if (!finishCalled) {
      finishCalled = true;
      invoke(HOOK_FINISH, null, null);
      if (blocked || isTerminated()) {
        return;
      }
    }
    lifecycle = NodeState.FINISHED;
    closeTicks();
    runtime.events.record(clock.nanoTime(), EventLog.Type.FINISH, index, 0);
    runtime.cellDone(this);
  }

  /** Whether every input edge is empty now; LoopGroup calls it on claimed cells. */
  boolean inputsEmpty() {
    for (EdgeLink link : inputs) {
      if (!link.edge.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** A loop member as LoopGroup sees it: a candidate, idle, unblocked, inputs empty. */
  boolean isQuietLoopMember() {
    return loopCandidate && state == IDLE && blockedOn == null && inputsEmpty();
  }

  /** LoopGroup: takes the cell as an activation would, only if it is exactly IDLE. */
  boolean claimIdle() {
    return STATE.compareAndSet(this, IDLE, RUNNING);
  }

  /** LoopGroup: gives a claimed cell back (re-queued if it was signalled meanwhile). */
  void releaseClaim() {
    endActivation(false);
  }

  /** LoopGroup, on a claimed cell: runs onFinish and finishes, unless onFinish left it blocked. */
  void finishAsLoopMember() {
    if (lifecycle != null || finishCalled) {
      return;
    }
    finishCalled = true;
    invoke(HOOK_FINISH, null, null);
    waitForRoom();
    signalTouchedConsumers();
    if (!blocked && !isTerminated()) {
      lifecycle = NodeState.FINISHED;
      closeTicks();
      runtime.events.record(clock.nanoTime(), EventLog.Type.FINISH, index, 0);
      runtime.cellDone(this);
    }
  }

  /** Called by an upstream cell or ingress that will send nothing more. */
  void upstreamDone() {
    openUpstreams.decrementAndGet();
    signal(band);
  }

  // ------------------------------------------------------------------ hooks and failures

  private void invoke(int hook, @Nullable EdgeLink from, @Nullable Message<?> message) {
    LAST_HOOK.setOpaque(this, hook);
    try {
      switch (hook) {
        case HOOK_MESSAGE ->
            node.onMessage(this, requireNonNull(from).consumerPort, requireNonNull(message));
        case HOOK_TICK -> node.onTick(this);
        default -> node.onFinish(this);
      }
    } catch (Throwable t) {
      if (Failures.isFatal(t)) {
        // The JVM may be in trouble; the worker ends and the graph stops (GraphRuntime). The
        // message in hand is still accounted for, if the dead-letter path can run at all.
        counters.increment(NodeCounters.ERRORS);
        if (from != null && message != null) {
          try {
            runtime.deadLetter(
                new DeadLetter(message, name, from.id, DeadLetter.Reason.NODE_FAILED, t));
          } catch (Throwable secondary) {
            t.addSuppressed(secondary);
          }
        }
        throw (Error) t;
      }
      onFailure(HOOK_NAMES[hook], from, message, t);
    }
  }

  private static <T> T requireNonNull(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("internal: missing hook argument");
    }
    return value;
  }

  private void onFailure(
      String hook, @Nullable EdgeLink from, @Nullable Message<?> message, Throwable failure) {
    counters.increment(NodeCounters.ERRORS);
    runtime.events.record(clock.nanoTime(), EventLog.Type.ERROR, index, 0);
    EngineLog.nodeFailed(log, runtime.name(), name, hook, from, message, policy, failure);
    if (message != null) {
      runtime.deadLetter(
          new DeadLetter(
              message,
              name,
              from == null ? null : from.id,
              DeadLetter.Reason.NODE_FAILED,
              failure));
    }
    switch (policy.kind()) {
      case CONTINUE -> {}
      case STOP_NODE -> stopByPolicy("its error policy is STOP_NODE", failure);
      case STOP_GRAPH -> {
        runtime.events.record(clock.nanoTime(), EventLog.Type.STOP_GRAPH, index, 0);
        runtime.stopByNode(name, failure);
      }
      case RESTART -> restart(failure);
    }
  }

  private void restart(Throwable failure) {
    long now = clock.nanoTime();
    long windowStart = now - policy.window().toNanos();
    while (!restartTimes.isEmpty() && restartTimes.peekFirst() < windowStart) {
      restartTimes.pollFirst();
    }
    if (restartTimes.size() >= policy.maxRestarts()) {
      log.error(
          "node {} exhausted its restart budget ({} restarts within {}); stopping it",
          name,
          policy.maxRestarts(),
          policy.window());
      stopByPolicy("its restart budget is exhausted", failure);
      return;
    }
    restartTimes.addLast(now);
    counters.increment(NodeCounters.RESTARTS);
    runtime.events.record(now, EventLog.Type.RESTART, index, restartTimes.size());
    EngineLog.nodeRestarting(
        log, runtime.name(), name, restartTimes.size(), policy.maxRestarts(), policy.window());
    callOnStop();
    LAST_HOOK.setOpaque(this, HOOK_START);
    try {
      node.onStart(this);
    } catch (Throwable t) {
      if (Failures.isFatal(t)) {
        throw (Error) t;
      }
      counters.increment(NodeCounters.ERRORS);
      log.error("node {} failed in onStart while restarting; stopping it", name, t);
      stopByPolicy("onStart failed during a restart", t);
    }
  }

  /** Stops this node for good after a failure: inputs closed and drained, outbox dead-lettered. */
  private void stopByPolicy(String why, Throwable cause) {
    if (lifecycle != null) {
      return;
    }
    EngineLog.nodeStopped(log, runtime.name(), name, why, cause);
    lifecycle = NodeState.FAILED;
    closeTicks();
    // No more skipped input signals from here on, before the discard (see "Blocked cells"); the
    // parked messages themselves are dead-lettered below.
    markUnblocked();
    runtime.events.record(clock.nanoTime(), EventLog.Type.STOP_NODE, index, 0);
    for (EdgeLink link : inputs) {
      link.edge.close();
    }
    discardInputs(DeadLetter.Reason.CONSUMER_STOPPED);
    deadLetterOutbox(DeadLetter.Reason.PRODUCER_FAILED, cause);
    if (!inStop) {
      callOnStop();
    }
    runtime.cellDone(this);
  }

  /** Consumer side: dead-letters everything queued on the inputs; wakes waiting producers. */
  private void discardInputs(DeadLetter.Reason reason) {
    for (EdgeLink link : inputs) {
      // Counted by the edge as discarded: part of the report's undelivered.
      link.edge.discardAll(m -> runtime.deadLetter(new DeadLetter(m, name, link.id, reason, null)));
    }
    wakeWaitingProducers();
  }

  /** Producer side: dead-letters every parked message, counting each on its edge. */
  void deadLetterOutbox(DeadLetter.Reason reason, @Nullable Throwable cause) {
    for (OutputPort out : outputs) {
      for (EdgeLink link : out.links) {
        for (ArrayDeque<Message<?>> parked : List.of(link.parkedControl, link.parked)) {
          Message<?> m;
          while ((m = parked.pollFirst()) != null) {
            // The node involved: this one if its failure is why the message goes undelivered,
            // else the consumer it was meant for.
            String involved =
                reason == DeadLetter.Reason.PRODUCER_FAILED ? name : link.consumer.name;
            runtime.deadLetter(new DeadLetter(m, involved, link.id, reason, cause));
            // Never accepted by the edge, so counted here: the report's outboxDeadLettered.
            link.outboxDeadLettered.incrementAndGet();
          }
        }
      }
    }
    blockedLinks.clear();
    markUnblocked();
  }

  /** Runs onStop once; exceptions are logged and returned. */
  @Nullable Throwable callOnStop() {
    inStop = true;
    LAST_HOOK.setOpaque(this, HOOK_STOP);
    try {
      node.onStop(this);
      return null;
    } catch (Throwable t) {
      if (Failures.isFatal(t)) {
        throw (Error) t;
      }
      log.error("node {} failed in onStop", name, t);
      return t;
    } finally {
      inStop = false;
    }
  }

  /**
   * Shutdown, after the workers were joined: takes the cell for the final drain, or returns false
   * if a worker is still inside one of its hooks, which then drains it itself ({@link
   * #takeIfAbandoned}). Dekker-style: {@code abandoned} is written before the CAS here and read
   * after the worker releases RUNNING, so exactly one side takes the cell.
   */
  boolean abandonForShutdown() {
    abandoned = true;
    return claim();
  }

  /** Worker, after an activation: true if shutdown left this cell to it and this call took it. */
  boolean takeIfAbandoned() {
    return abandoned && claim();
  }

  /** Sets RUNNING for good unless an activation runs; no activation can begin afterwards. */
  private boolean claim() {
    for (; ; ) {
      int s = state;
      if ((s & RUNNING) != 0) {
        return false;
      }
      if (STATE.compareAndSet(this, s, s | RUNNING)) {
        return true;
      }
    }
  }

  /** The final drain of a cell shutdown left to its stuck worker: what stop does for the others. */
  void finishAbandoned() {
    discardInputs(DeadLetter.Reason.SHUTDOWN_UNDELIVERED);
    deadLetterOutbox(DeadLetter.Reason.SHUTDOWN_UNDELIVERED, null);
    if (lifecycle != NodeState.FAILED) {
      callOnStop();
    }
    markStopped();
  }

  /** Shutdown, after the node's last hook: marks the final state; the node may start again. */
  void markStopped() {
    if (lifecycle == null || lifecycle == NodeState.FINISHED) {
      lifecycle = NodeState.STOPPED;
    }
    closeTicks();
    NodeClaims.release(runtime, node);
  }

  // ------------------------------------------------------------------ emitting

  @Override
  public <T> void emit(PortSpec<T> output, T payload) {
    emitTo(outputFor(output), newMessage(payload));
  }

  @Override
  public <T> void emit(PortSpec<T> output, Message<? extends T> message) {
    emitTo(outputFor(output), message);
  }

  @Override
  public <T> void emitControl(PortSpec<T> output, T payload) {
    emitTo(
        outputFor(output),
        Message.create(payload, Headers.empty(), traceIds.next(), clock.nanoTime(), Plane.CONTROL));
  }

  @Override
  public <T> Message<T> newMessage(T payload) {
    return Message.create(payload, Headers.empty(), traceIds.next(), dataStamp(), Plane.DATA);
  }

  /** The creation time of a DATA message made now: one clock reading per activation. */
  private long dataStamp() {
    if (stampRead && inActivation) {
      return messageStamp;
    }
    long now = clock.nanoTime();
    if (inActivation) {
      messageStamp = now;
      stampRead = true;
    }
    return now;
  }

  @SuppressWarnings("ReferenceEquality") // the node's own instance first: the cheap, common case
  private OutputPort outputFor(PortSpec<?> port) {
    for (OutputPort out : outputs) {
      if (out.spec == port) {
        return out;
      }
    }
    for (OutputPort out : outputs) {
      if (out.spec.name().equals(port.name())) {
        return out;
      }
    }
    List<String> names = new ArrayList<>();
    for (OutputPort out : outputs) {
      names.add(out.spec.name());
    }
    throw new IllegalArgumentException(
        "node " + name + " has no output port '" + port.name() + "'; its outputs are " + names);
  }

  private void emitTo(OutputPort out, Message<?> message) {
    if (inStop) {
      throw new IllegalStateException(
          "node "
              + name
              + " emitted from onStop; emit in onFinish instead (onStop releases resources)");
    }
    emitted++;
    EdgeLink[] links = out.links;
    if (links.length == 0) {
      counters.increment(NodeCounters.UNROUTED);
      if (!out.unroutedLogged) {
        out.unroutedLogged = true;
        log.warn(
            "node {} emitted to output '{}', which has no edge: the message is discarded and"
                + " counted as unrouted (snapshot and shutdown report; only this first one is"
                + " logged). Connect the port, or stop emitting to it",
            name,
            out.spec.name());
      }
      return;
    }
    RuntimeException failure = null;
    for (EdgeLink link : links) {
      RuntimeException f = deliver(link, message);
      if (f != null && failure == null) {
        failure = f;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Offers to one edge; parks on BLOCKED; returns an exception for the caller to throw, if any. */
  private @Nullable RuntimeException deliver(EdgeLink link, Message<?> message) {
    // Only a blocked node has parked messages (parking blocks it; it unblocks once every outbox
    // is empty), so the common case reads one field and never touches the outboxes.
    if (blocked) {
      ArrayDeque<Message<?>> parked = link.parkedFor(message);
      if (!parked.isEmpty() || (!message.isControl() && !link.parkedControl.isEmpty())) {
        // Keep FIFO behind what is already parked on this plane, and DATA behind parked CONTROL:
        // DATA emitted after a CONTROL message must not reach the consumer before it.
        parked.addLast(message);
        return null;
      }
    }
    return onOfferResult(link, message, link.offer(message));
  }

  private @Nullable RuntimeException onOfferResult(
      EdgeLink link, Message<?> message, OfferResult result) {
    switch (result.status()) {
      case ACCEPTED, EVICTED, COALESCED -> {
        link.touched = true;
        if (message.isControl()) {
          link.touchedControl = true;
        }
        return null;
      }
      case BLOCKED -> {
        link.parkedFor(message).addLast(message);
        if (!blocked) {
          blocked = true;
          blockedOn = link.id;
          runtime.events.record(clock.nanoTime(), EventLog.Type.BLOCK, index, link.consumer.index);
        }
        if (!blockedLinks.contains(link)) {
          blockedLinks.add(link);
        }
        return null;
      }
      case DROPPED -> {
        return null;
      }
      case FAILED -> {
        Throwable cause = result.cause();
        if (cause instanceof MergeFailedException) {
          // A throwing COALESCE merge: the incoming message goes to dead letters with the cause and
          // the edge counts it as failed. It is that edge's problem, not the producer's: the
          // producer goes on, and the output's other edges keep the message they got.
          logFirstRefusal(link, DeadLetter.Reason.MERGE_FAILED, cause);
          runtime.deadLetter(
              new DeadLetter(
                  message, link.consumer.name, link.id, DeadLetter.Reason.MERGE_FAILED, cause));
          return null;
        }
        runtime.deadLetter(
            new DeadLetter(
                message, link.consumer.name, link.id, DeadLetter.Reason.OVERFLOW, cause));
        // A full FAIL edge: failing the producer is what that policy is for.
        return cause instanceof RuntimeException r
            ? r
            : new EdgeOverflowException(link.id, String.valueOf(result.reason()), cause);
      }
      case REJECTED -> {
        // The consumer's port refused the payload (its type, or its validator): dead-lettered
        // with the reason and counted on the edge; like a merge failure, not the producer's error.
        IllegalArgumentException rejection =
            new IllegalArgumentException(
                "node "
                    + name
                    + " emitted a message that port "
                    + link.consumerPort.name()
                    + " of "
                    + link.consumer.name
                    + " rejects: "
                    + result.reason());
        logFirstRefusal(link, DeadLetter.Reason.REJECTED, rejection);
        runtime.deadLetter(
            new DeadLetter(
                message, link.consumer.name, link.id, DeadLetter.Reason.REJECTED, rejection));
        return null;
      }
      case CLOSED -> {
        // The consumer stopped by its error policy and closed the edge: dead-lettered; the edge
        // counts it as closed, which the report adds to the edge's undelivered.
        runtime.deadLetter(
            new DeadLetter(
                message, link.consumer.name, link.id, DeadLetter.Reason.CONSUMER_STOPPED, null));
        return null;
      }
    }
    return null;
  }

  /**
   * Surfaces an edge's first refusal in the log whatever dead-letter handler is installed (the
   * default one logs each; a custom one may not), then leaves the rest to the counters.
   */
  private void logFirstRefusal(EdgeLink link, DeadLetter.Reason reason, Throwable cause) {
    if (!link.refusalLogged) {
      link.refusalLogged = true;
      log.warn(
          "edge {}: {}; the message is dead-lettered ({}) and counted on the edge, and the"
              + " producer goes on (only this first one is logged)",
          link.id,
          cause.toString(),
          reason);
    }
  }

  /** Retries parked messages in order; unblocks when every outbox is empty. */
  private void flushOutbox() {
    for (int i = 0; i < blockedLinks.size(); ) {
      EdgeLink link = blockedLinks.get(i);
      flushParked(link, link.parkedControl); // CONTROL overtakes parked DATA
      if (link.parkedControl.isEmpty()) {
        flushParked(link, link.parked); // and DATA never overtakes parked CONTROL
      }
      if (link.parked.isEmpty() && link.parkedControl.isEmpty()) {
        blockedLinks.remove(i);
      } else {
        i++;
      }
    }
    if (blocked && blockedLinks.isEmpty()) {
      markUnblocked();
      runtime.events.record(clock.nanoTime(), EventLog.Type.UNBLOCK, index, 0);
    }
  }

  /**
   * Clears the blocked state, then fences (store-load) so that the polls that follow see every
   * input whose signal was skipped while the cell was blocked (see "Blocked cells").
   * Package-private for NodeCellStress.
   */
  void markUnblocked() {
    blocked = false;
    blockedOn = null;
    VarHandle.fullFence();
  }

  private void flushParked(EdgeLink link, ArrayDeque<Message<?>> parked) {
    Message<?> head;
    while ((head = parked.peekFirst()) != null) {
      OfferResult result = link.offer(head);
      if (result.status() == OfferStatus.BLOCKED) {
        return;
      }
      parked.pollFirst();
      RuntimeException failure = onOfferResult(link, head, result);
      if (failure != null) {
        log.warn(
            "node {}: a parked message failed on edge {}: {}", name, link.id, failure.toString());
      }
    }
  }

  @Override
  public int demand(PortSpec<?> output) {
    int demand = demandOf(outputFor(output));
    if (inPull) {
      // A pull is an activation like any other: at most batchLimit messages, so that a CONTROL
      // message waiting for this worker never waits behind a long run of a source's emits.
      demand = (int) Math.min(demand, Math.max(0, batchLimit - (emitted - pullStart)));
    }
    return demand;
  }

  private static int demandOf(OutputPort out) {
    if (out.links.length == 0) {
      return Integer.MAX_VALUE;
    }
    int demand = Integer.MAX_VALUE;
    boolean open = false;
    for (EdgeLink link : out.links) {
      if (!link.parked.isEmpty() || !link.parkedControl.isEmpty()) {
        return 0;
      }
      if (link.edge.isClosed()) {
        continue; // its consumer stopped: it takes nothing, and must not hold the others back
      }
      open = true;
      demand = Math.min(demand, link.edge.remainingCapacity());
    }
    // Every consumer of this output stopped: like an output without edges, it holds nothing back
    // (what is emitted to it is dead-lettered). A source whose every output is dead is done
    // instead (everyConsumerStopped), so this never lets one run flat out into dead letters.
    return open ? demand : Integer.MAX_VALUE;
  }

  @Override
  public InputGate inputGate() {
    return this;
  }

  @Override
  public void pause() {
    inputPaused = true;
  }

  @Override
  public void resume() {
    inputPaused = false;
    signal(band); // volatile store, then the signal's atomic OR: an activation sees the resume
  }

  @Override
  public boolean isPaused() {
    return inputPaused;
  }

  @Override
  public String nodeName() {
    return name;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Logger logger() {
    return log;
  }

  /**
   * The starting thread, after every onStart and before the workers start: signals the consumers of
   * anything onStart emitted, and the cell itself if onStart left it blocked.
   */
  void afterStart() {
    signalTouchedConsumers();
    if (blocked) {
      signal(band);
    }
  }

  // ------------------------------------------------------------------ ticks and views

  /** The tick wheel's pass, under its lock: the entry fired; the cell owns it now. */
  void tickFired() {
    tickPending.set(true); // release: hands the entry over; pairs with takeTick's getAndSet
    signal(band);
  }

  /**
   * The activation took the pending tick at {@code now}: one tick to deliver (counted in TICKS once
   * onTick returned), and the interval boundaries that passed since the one it fired for are missed
   * (ticks never queue up); then the entry goes back into the wheel at the next boundary after now.
   */
  private void takeTick(long now) {
    TickTimers.Entry entry = tickEntry;
    if (entry == null) {
      return;
    }
    long missed = now > entry.due ? (now - entry.due) / entry.interval : 0;
    if (missed > 0) {
      counters.add(NodeCounters.MISSED_TICKS, missed);
    }
    entry.due += (missed + 1) * entry.interval;
    runtime.timers.rearm(entry);
  }

  /**
   * The tick wheel's close, under its lock, by the thread that owns this cell (its activation, or
   * shutdown after taking it): the boundaries up to {@code now} that the node will never get,
   * whether a tick is pending for them or not, count as missed.
   */
  void dropPendingTick(TickTimers.Entry entry, long now) {
    tickPending.set(false);
    if (now >= entry.due) {
      long boundaries = (now - entry.due) / entry.interval + 1;
      counters.add(NodeCounters.MISSED_TICKS, boundaries);
      entry.due += boundaries * entry.interval;
    }
  }

  /**
   * Missed ticks as a reader sees them now (snapshots, metrics): the counted ones, plus, while a
   * tick is pending, the boundaries that passed since the one it fired for (they are counted when
   * the node takes the tick, or stops). A view: racing the take, it may lag for an instant.
   */
  long missedTicksView() {
    long counted = counters.read(NodeCounters.MISSED_TICKS);
    TickTimers.Entry entry = tickEntry;
    if (entry == null || !tickPending.get()) {
      return counted;
    }
    long passed = clock.nanoTime() - entry.due; // a racy read of due: a view, see above
    return passed > 0 ? counted + passed / entry.interval : counted;
  }

  /** Whether a tick fired and was not taken yet; for views and tests. */
  boolean tickPendingView() {
    return tickPending.get();
  }

  /** The node terminated (or is stopping for good): its ticks end and are accounted for. */
  private void closeTicks() {
    TickTimers.Entry entry = tickEntry;
    if (entry != null) {
      runtime.timers.close(entry, clock.nanoTime());
    }
  }

  boolean isTerminated() {
    return lifecycle != null;
  }

  /**
   * Why a node's STOP_GRAPH policy stopped this cell's graph, or null: lets a node that reports the
   * end of its input outside the graph (the Flow publisher sink) tell a failed run from a clean
   * one.
   */
  @Nullable Throwable graphFailure() {
    return runtime.stopGraphCause();
  }

  boolean isSource() {
    return source;
  }

  NodeState viewState() {
    NodeState l = lifecycle;
    if (l != null) {
      return l;
    }
    if (blockedOn != null) {
      return NodeState.BLOCKED;
    }
    int s = state;
    if ((s & RUNNING) != 0) {
      return NodeState.RUNNING;
    }
    return (s & SCHEDULED) != 0 ? NodeState.READY : NodeState.IDLE;
  }

  /** The hook the cell's worker entered last; what a stop reports a stuck cell to be inside. */
  String lastHookView() {
    return HOOK_NAMES[(int) LAST_HOOK.getOpaque(this)];
  }

  @Nullable String blockedOnView() {
    return blockedOn;
  }

  /** The activation's thread, via the metrics hook. */
  void addBusyNanos(long nanos) {
    counters.add(NodeCounters.BUSY_NANOS, nanos);
  }

  long counter(int which) {
    return counters.read(which);
  }

  /** Messages processed plus ticks run: this node's share of the graph's progress. */
  long progressCount() {
    return counters.progress();
  }

  @Override
  public String toString() {
    return "NodeCell[" + name + ", " + viewState() + ']';
  }
}
