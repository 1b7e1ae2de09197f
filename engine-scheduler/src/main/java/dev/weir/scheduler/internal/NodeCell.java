package dev.weir.scheduler.internal;

import dev.weir.core.Clock;
import dev.weir.core.EdgeOverflowException;
import dev.weir.core.Headers;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Fields below "activation-owned" are touched only by the running activation; successive
 * activations are ordered by the ReadyQueues lock (push/poll) and by the CAS on `state`.
 *
 * Invariants: blocked == !blockedLinks.isEmpty() == (some link's `parked` outbox is non-empty).
 * A blocked cell processes no input and no tick; it only retries its outbox.
 */

/**
 * Not API: one node of a running graph: its scheduling state, its activation loop, its outbox and
 * its {@link NodeContext}.
 *
 * <p>Thread-safety: {@link #signal} and the read-only views are safe from any thread; everything
 * else runs on the worker holding the activation.
 */
final class NodeCell implements NodeContext {

  static final int IDLE = 0;
  static final int SCHEDULED = 1;
  static final int RUNNING = 2;
  static final int PENDING = 4;

  private static final int HOOK_MESSAGE = 0;
  private static final int HOOK_TICK = 1;
  private static final int HOOK_FINISH = 2;
  private static final String[] HOOK_NAMES = {"onMessage", "onTick", "onFinish"};

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(NodeCell.class, "state", int.class);
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
  OutputPort[] outputs = new OutputPort[0];
  final AtomicInteger openUpstreams = new AtomicInteger();
  final AtomicInteger pendingControl = new AtomicInteger();

  @SuppressWarnings("unused") // accessed through STATE
  private volatile int state;

  /** Guarded by the ReadyQueues lock. */
  boolean inQueue;

  /** Guarded by the ReadyQueues lock. */
  int queuedBand;

  private volatile @Nullable NodeState lifecycle;
  private volatile @Nullable String blockedOn;
  private volatile boolean tickPending;

  /** Set by shutdown when it takes the cell for the final drain or leaves it to a stuck worker. */
  private volatile boolean abandoned;

  private final NodeCounters counters = new NodeCounters();

  // --- activation-owned ---
  private final List<EdgeLink> blockedLinks = new ArrayList<>(2);
  private final ArrayDeque<Long> restartTimes = new ArrayDeque<>();
  private int roundRobin;
  private boolean blocked;
  private boolean sourceDone;
  private boolean finishCalled;
  private boolean inStop;

  /** One declared output and the links it fans out to. */
  static final class OutputPort {
    final PortSpec<?> spec;
    EdgeLink[] links = new EdgeLink[0];

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
    this.log = LoggerFactory.getLogger("dev.weir.node." + name.replace('/', '.'));
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
    NodeState l = lifecycle;
    if (l != null && (l == NodeState.FINISHED || inputs.length == 0)) {
      return;
    }
    int prev = (int) STATE.getAndBitwiseOr(this, PENDING);
    if ((prev & (SCHEDULED | RUNNING)) == 0) {
      if (STATE.compareAndSet(this, PENDING, SCHEDULED)) {
        runtime.queues.push(this, atBand);
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
    return pendingControl.get() > 0 ? Priority.CONTROL.ordinal() : band;
  }

  // ------------------------------------------------------------------ the activation

  /** Worker: runs one activation. Precondition: {@link #beginActivation()} returned true. */
  void activate() {
    counters.increment(NodeCounters.ACTIVATIONS);
    if (isTerminated()) {
      if (lifecycle != NodeState.FINISHED) {
        discardInputs(DeadLetter.Reason.CONSUMER_STOPPED);
      }
      endActivation(false);
      return;
    }
    int processed = 0;
    if (blocked) {
      flushOutbox();
    }
    if (!blocked && tickPending) {
      tickPending = false;
      runtime.events.record(clock.nanoTime(), EventLog.Type.TICK, index, 0);
      invoke(HOOK_TICK, null, null);
    }
    while (!blocked && processed < batchLimit && !isTerminated() && !abandoned) {
      EdgeLink from = nextInputLink();
      if (from == null) {
        break;
      }
      Message<?> message = from.edge.poll();
      if (message == null) {
        continue;
      }
      if (message.isControl()) {
        pendingControl.decrementAndGet();
      }
      if (from.producerWaitingOpaque() && from.claimProducerWaiting()) {
        from.wakeProducer();
      }
      processed++;
      invoke(HOOK_MESSAGE, from, message);
    }
    counters.add(NodeCounters.MESSAGES, processed);
    boolean again = processed >= batchLimit;
    if (source && !blocked && !sourceDone && !isTerminated()) {
      if (runtime.isStopping()) {
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
      endActivation(false);
      return;
    }
    again |= waitForRoom();
    // After waitForRoom: its re-check may flush parked messages into an edge. Signalled before it,
    // a consumer could stay idle over them while this cell, still blocked, waits for that consumer.
    signalTouchedConsumers();
    wakeWaitingProducers();
    runtime.events.record(clock.nanoTime(), EventLog.Type.ACTIVATE, index, processed);
    endActivation(again && !isTerminated());
  }

  private boolean pull() {
    boolean more;
    try {
      more = ((SourceNode) node).pull(this);
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
      onFailure("pull", null, null, t);
      more = true;
    }
    if (!more) {
      sourceDone = true;
      return false;
    }
    return !blocked;
  }

  /** Round robin over inputs; a pending CONTROL message is looked for first. */
  private @Nullable EdgeLink nextInputLink() {
    EdgeLink[] in = inputs;
    int n = in.length;
    if (n == 0) {
      return null;
    }
    if (pendingControl.get() > 0) {
      for (EdgeLink link : in) {
        if (link.edge.controlDepth() > 0) {
          return link;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      EdgeLink link = in[(roundRobin + i) % n];
      if (!link.edge.isEmpty()) {
        roundRobin = (roundRobin + i + 1) % n;
        return link;
      }
    }
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
      flushOutbox();
      return !blocked;
    }
    if (source && !sourceDone && !isTerminated() && !runtime.isStopping()) {
      if (hasDemand()) {
        return true;
      }
      for (OutputPort out : outputs) {
        for (EdgeLink link : out.links) {
          link.setProducerWaitingVolatile();
        }
      }
      return hasDemand();
    }
    return false;
  }

  /** The consumer half of the protocol: fence, then wake producers that wait for room. */
  private void wakeWaitingProducers() {
    VarHandle.fullFence();
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
          link.consumer.signal(control ? Priority.CONTROL.ordinal() : link.consumer.band);
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
    runtime.events.record(clock.nanoTime(), EventLog.Type.FINISH, index, 0);
    runtime.cellDone(this);
  }

  private boolean inputsEmpty() {
    for (EdgeLink link : inputs) {
      if (!link.edge.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Called by an upstream cell or ingress that will send nothing more. */
  void upstreamDone() {
    openUpstreams.decrementAndGet();
    signal(band);
  }

  // ------------------------------------------------------------------ hooks and failures

  private void invoke(int hook, @Nullable EdgeLink from, @Nullable Message<?> message) {
    try {
      switch (hook) {
        case HOOK_MESSAGE ->
            node.onMessage(this, requireNonNull(from).consumerPort, requireNonNull(message));
        case HOOK_TICK -> node.onTick(this);
        default -> node.onFinish(this);
      }
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
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
    log.warn(
        "node {} failed in {}{}{}; policy {}: {}",
        name,
        hook,
        from == null ? "" : " on port '" + from.consumerPort.name() + "' (edge " + from.id + ")",
        message == null ? "" : " for trace " + TraceIds.format(message.traceId()),
        policy,
        failure.toString(),
        failure);
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
    log.warn(
        "restarting node {} ({} of {} within {})",
        name,
        restartTimes.size(),
        policy.maxRestarts(),
        policy.window());
    callOnStop();
    try {
      node.onStart(this);
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
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
    log.error("stopping node {}: {}", name, why);
    lifecycle = NodeState.FAILED;
    runtime.events.record(clock.nanoTime(), EventLog.Type.STOP_NODE, index, 0);
    for (EdgeLink link : inputs) {
      link.edge.close();
    }
    discardInputs(DeadLetter.Reason.CONSUMER_STOPPED);
    deadLetterOutbox(DeadLetter.Reason.NODE_FAILED, cause);
    if (!inStop) {
      callOnStop();
    }
    runtime.cellDone(this);
  }

  /** Consumer side: dead-letters everything queued on the inputs; wakes waiting producers. */
  private void discardInputs(DeadLetter.Reason reason) {
    for (EdgeLink link : inputs) {
      link.edge.discardAll(m -> runtime.deadLetter(new DeadLetter(m, name, link.id, reason, null)));
      if (link.producerWaitingOpaque() && link.claimProducerWaiting()) {
        link.wakeProducer();
      }
    }
  }

  /** Producer side: dead-letters every parked message; returns how many per link via counts. */
  int deadLetterOutbox(DeadLetter.Reason reason, @Nullable Throwable cause) {
    int total = 0;
    for (OutputPort out : outputs) {
      for (EdgeLink link : out.links) {
        Message<?> m;
        while ((m = link.parked.pollFirst()) != null) {
          runtime.deadLetter(new DeadLetter(m, link.consumer.name, link.id, reason, cause));
          if (reason == DeadLetter.Reason.SHUTDOWN_UNDELIVERED) {
            // The report's "undelivered" is what shutdown left; an outbox dropped by a failure
            // (STOP_NODE, an exhausted restart budget) was dead-lettered as NODE_FAILED earlier.
            link.undeliveredAtShutdown++;
          }
          total++;
        }
      }
    }
    blockedLinks.clear();
    blocked = false;
    blockedOn = null;
    return total;
  }

  /** Runs onStop once; exceptions are logged and returned. */
  @Nullable Throwable callOnStop() {
    inStop = true;
    try {
      node.onStop(this);
      return null;
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable t) {
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

  /** Shutdown, after the workers stopped: marks the final state. */
  void markStopped() {
    if (lifecycle == null || lifecycle == NodeState.FINISHED) {
      lifecycle = NodeState.STOPPED;
    }
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
    return Message.create(payload, Headers.empty(), traceIds.next(), clock.nanoTime(), Plane.DATA);
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
    EdgeLink[] links = out.links;
    if (links.length == 0) {
      counters.increment(NodeCounters.UNROUTED);
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
    if (!link.parked.isEmpty()) {
      link.parked.addLast(message); // keep FIFO behind what is already parked
      return null;
    }
    OfferResult result = link.edge.offer(message);
    return onOfferResult(link, message, result);
  }

  private @Nullable RuntimeException onOfferResult(
      EdgeLink link, Message<?> message, OfferResult result) {
    switch (result.status()) {
      case ACCEPTED, EVICTED, COALESCED -> {
        link.touched = true;
        if (message.isControl() && result.isEnqueued()) {
          link.consumer.pendingControl.incrementAndGet();
          link.touchedControl = true;
        }
        return null;
      }
      case BLOCKED -> {
        link.parked.addLast(message);
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
        boolean mergeFailed = cause != null && cause.getCause() != null;
        runtime.deadLetter(
            new DeadLetter(
                message,
                link.consumer.name,
                link.id,
                mergeFailed ? DeadLetter.Reason.MERGE_FAILED : DeadLetter.Reason.OVERFLOW,
                cause));
        return cause instanceof RuntimeException r
            ? r
            : new EdgeOverflowException(link.id, String.valueOf(result.reason()), cause);
      }
      case REJECTED -> {
        runtime.deadLetter(
            new DeadLetter(message, link.consumer.name, link.id, DeadLetter.Reason.REJECTED, null));
        return new IllegalArgumentException(
            "node " + name + " emitted a message its consumer rejects: " + result.reason());
      }
      case CLOSED -> {
        runtime.deadLetter(
            new DeadLetter(
                message, link.consumer.name, link.id, DeadLetter.Reason.CONSUMER_STOPPED, null));
        return null;
      }
    }
    return null;
  }

  /** Retries parked messages in order; unblocks when every outbox is empty. */
  private void flushOutbox() {
    for (int i = 0; i < blockedLinks.size(); ) {
      EdgeLink link = blockedLinks.get(i);
      Message<?> head;
      while ((head = link.parked.peekFirst()) != null) {
        OfferResult result = link.edge.offer(head);
        if (result.status() == OfferStatus.BLOCKED) {
          break;
        }
        link.parked.pollFirst();
        RuntimeException failure = onOfferResult(link, head, result);
        if (failure != null) {
          log.warn(
              "node {}: a parked message failed on edge {}: {}", name, link.id, failure.toString());
        }
      }
      if (link.parked.isEmpty()) {
        blockedLinks.remove(i);
      } else {
        i++;
      }
    }
    if (blocked && blockedLinks.isEmpty()) {
      blocked = false;
      blockedOn = null;
      runtime.events.record(clock.nanoTime(), EventLog.Type.UNBLOCK, index, 0);
    }
  }

  @Override
  public int demand(PortSpec<?> output) {
    return demandOf(outputFor(output));
  }

  private static int demandOf(OutputPort out) {
    if (out.links.length == 0) {
      return Integer.MAX_VALUE;
    }
    int demand = Integer.MAX_VALUE;
    for (EdgeLink link : out.links) {
      if (!link.parked.isEmpty()) {
        return 0;
      }
      demand = Math.min(demand, link.edge.remainingCapacity());
    }
    return demand;
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

  // ------------------------------------------------------------------ ticks and views

  /** Called by the timers (any worker): one pending tick, however many intervals passed. */
  void tickDue(long latenessNanos, long missed) {
    if (missed > 0) {
      counters.addFromTimer(NodeCounters.MISSED_TICKS, missed);
    }
    tickPending = true;
    runtime.recordTickLateness(latenessNanos);
    signal(band);
  }

  boolean isTerminated() {
    return lifecycle != null;
  }

  boolean isFinishedCleanly() {
    return lifecycle == NodeState.FINISHED;
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

  @Nullable String blockedOnView() {
    return blockedOn;
  }

  long counter(int which) {
    return counters.read(which);
  }

  @Override
  public String toString() {
    return "NodeCell[" + name + ", " + viewState() + ']';
  }
}
