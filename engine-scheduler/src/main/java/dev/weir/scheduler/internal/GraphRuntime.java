package dev.weir.scheduler.internal;

import dev.weir.core.Clock;
import dev.weir.core.Edge;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.GraphEdge;
import dev.weir.core.GraphIngress;
import dev.weir.core.GraphNode;
import dev.weir.core.PortSpec;
import dev.weir.core.TraceIds;
import dev.weir.core.internal.Edges;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.DeadLetterHandler;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.GraphStartException;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.NodeState;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.scheduler.VirtualClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Not API: a graph running on its own workers; what {@link dev.weir.scheduler.Scheduler#start}
 * returns.
 *
 * <p>Thread-safety: thread-safe; see {@link RunningGraph}.
 */
public final class GraphRuntime implements RunningGraph {

  private static final Logger LOG = LoggerFactory.getLogger(GraphRuntime.class);

  /** How long stop waits for a worker stuck in a node hook after the drain timeout. */
  private static final long STUCK_WORKER_GRACE_MILLIS = 1_000;

  /** How often a draining stop looks whether any worker is still alive to drain. */
  private static final long DRAIN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final String name;
  private final RuntimeConfig config;
  private final Clock clock;
  final ReadyQueues queues;
  final RuntimeMetrics metrics;
  final EventLog events;
  final TickTimers timers;
  private final NodeCell[] cells;
  private final List<EdgeLink> links = new ArrayList<>();
  private final Map<String, IngressGate<?>> ingresses = new LinkedHashMap<>();
  private final DeadLetterHandler deadLetterHandler;

  /** Every edge by id: read-only after the constructor; names a dead letter's producer. */
  private final Map<String, EdgeLink> linksById = new HashMap<>();

  private final DeadLetterTally deadLetterTally;
  private final AtomicInteger liveCells;
  private final CountDownLatch completed = new CountDownLatch(1);
  private final DrainWatch drainWatch;
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicBoolean stopStarted = new AtomicBoolean();
  private final CompletableFuture<ShutdownReport> report = new CompletableFuture<>();
  private @Nullable AutoCloseable clockSubscription;
  private volatile boolean stopping;

  /** A failure that stopped the graph through STOP_GRAPH (the first, or one of racing ones). */
  private volatile @Nullable Throwable stopGraphCause;

  private volatile boolean workersStop;

  /** A fatal error that ended a worker, reported by the stop it triggers. */
  private volatile @Nullable VirtualMachineError fatalError;

  /** The thread inside stop(), if any: onStop and dead-letter handlers run on it. */
  private volatile @Nullable Thread stoppingThread;

  private GraphRuntime(Graph graph, RuntimeConfig config) {
    this.name = graph.name();
    this.config = config;
    this.clock = config.clock();
    List<String> order = graph.topologicalOrder();
    // Checked before the meters are registered, so a refused start leaves none behind.
    for (String configured : config.priorities().keySet()) {
      requireNode(order, configured, "priority");
    }
    for (String configured : config.errorPolicies().keySet()) {
      requireNode(order, configured, "errorPolicy");
    }
    MeterRegistry registry = config.registry();
    MicrometerRuntimeMetrics micrometer =
        registry == null ? null : new MicrometerRuntimeMetrics(registry, clock, name);
    this.metrics = micrometer == null ? RuntimeMetrics.DISABLED : micrometer;
    this.queues =
        ReadyQueues.create(
            config.workers(), config.weights(), config.seed(), config.pickPerturbation(), metrics);
    this.timers = new TickTimers(queues, metrics, clock instanceof VirtualClock);
    this.cells = new NodeCell[order.size()];
    Map<String, NodeCell> byName = new HashMap<>();
    for (int i = 0; i < cells.length; i++) {
      GraphNode gn = graph.node(order.get(i)).orElseThrow();
      cells[i] = new NodeCell(i, gn.name(), gn.node(), this, config);
      byName.put(gn.name(), cells[i]);
    }
    this.events = new EventLog(order.toArray(new String[0]));
    this.deadLetterHandler =
        config.deadLetters() != null ? config.deadLetters() : this::logDeadLetter;
    wire(graph, byName);
    for (EdgeLink link : links) {
      linksById.put(link.id, link);
    }
    this.deadLetterTally = new DeadLetterTally(linksById.keySet(), order);
    findLoops();
    for (NodeCell cell : cells) {
      // Upstreams inside the cell's own loop do not hold its finish back; the loop finishes as a
      // whole (LoopGroup), or its members would wait for each other forever.
      int outside = 0;
      for (EdgeLink link : cell.inputs) {
        if (!isInsideLoop(link)) {
          outside++;
        }
      }
      cell.openUpstreams.set(outside);
    }
    this.liveCells = new AtomicInteger(cells.length);
    this.drainWatch = new DrainWatch(links.toArray(new EdgeLink[0]), cells);
    BooleanSupplier stillQuiet = queues::stillQuiet;
    queues.observeQuietPoints(() -> drainWatch.atQuietPoint(stillQuiet));
    if (micrometer != null) {
      links.forEach(link -> micrometer.bindEdge(link.edge));
      for (NodeCell cell : cells) {
        micrometer.bindNode(cell);
      }
      micrometer.bindScheduler(queues, this);
    }
  }

  /** Checks a configured node name; the error lists the nodes in topological order. */
  private static void requireNode(List<String> order, String node, String setting) {
    if (!order.contains(node)) {
      throw new IllegalArgumentException(
          "Scheduler."
              + setting
              + "(\""
              + node
              + "\", ...) names no node of this graph; its nodes"
              + " are "
              + order);
    }
  }

  private void wire(Graph graph, Map<String, NodeCell> byName) {
    Map<NodeCell, List<EdgeLink>> inputsOf = new HashMap<>();
    for (GraphIngress gi : graph.ingresses()) {
      NodeCell consumer = cellNamed(byName, gi.target());
      // Application threads share an ingress edge: BLOCK, DROP and FAIL get the lock-free
      // multi-producer ring, and IngressGate then offers without its lock.
      Edge<?> edge = Edges.createMultiProducer(gi.id(), gi.input(), gi.spec());
      EdgeLink link = newLink(edge, gi.input(), null, consumer);
      IngressGate<?> gate =
          new IngressGate<>(
              gi.name(), link, clock, TraceIds.derive(config.seed(), -1 - ingresses.size()));
      link.ingress = gate;
      ingresses.put(gi.name(), gate);
      inputsOf.computeIfAbsent(consumer, c -> new ArrayList<>()).add(link);
    }
    Map<NodeCell, Map<String, List<EdgeLink>>> outputsOf = new HashMap<>();
    for (GraphEdge ge : graph.edges()) {
      NodeCell producer = cellNamed(byName, ge.producer());
      NodeCell consumer = cellNamed(byName, ge.consumer());
      EdgeLink link =
          newLink(Edge.create(ge.id(), ge.input(), ge.spec()), ge.input(), producer, consumer);
      inputsOf.computeIfAbsent(consumer, c -> new ArrayList<>()).add(link);
      outputsOf
          .computeIfAbsent(producer, c -> new HashMap<>())
          .computeIfAbsent(ge.output().name(), p -> new ArrayList<>())
          .add(link);
    }
    for (NodeCell cell : cells) {
      List<EdgeLink> in = inputsOf.getOrDefault(cell, List.of());
      cell.inputs = in.toArray(new EdgeLink[0]);
      Map<String, List<EdgeLink>> outs = outputsOf.getOrDefault(cell, Map.of());
      for (NodeCell.OutputPort out : cell.outputs) {
        out.links = outs.getOrDefault(out.spec.name(), List.of()).toArray(new EdgeLink[0]);
      }
    }
  }

  /**
   * Creates the edge's link. {@code input} is the consumer's own declared port instance (Graph
   * keeps them), which is what {@code onMessage} receives.
   */
  private EdgeLink newLink(
      Edge<?> edge, PortSpec<?> input, @Nullable NodeCell producer, NodeCell consumer) {
    EdgeLink link = new EdgeLink(edge, producer, consumer, input);
    links.add(link);
    return link;
  }

  private void findLoops() {
    int[][] successors = new int[cells.length][];
    for (NodeCell cell : cells) {
      successors[cell.index] =
          Arrays.stream(cell.outputs)
              .flatMap(out -> Arrays.stream(out.links))
              .mapToInt(link -> link.consumer.index)
              .distinct()
              .toArray();
    }
    for (int[] members : LoopDetector.loops(successors)) {
      List<NodeCell> group = new ArrayList<>(members.length);
      for (int i : members) {
        group.add(cells[i]);
      }
      LoopGroup loop = new LoopGroup(group);
      for (NodeCell member : group) {
        member.loop = loop;
      }
    }
  }

  /** Whether a link runs between two members of the same loop. */
  private static boolean isInsideLoop(EdgeLink link) {
    NodeCell producer = link.producer;
    return producer != null && producer.loop != null && producer.loop == link.consumer.loop;
  }

  private static NodeCell cellNamed(Map<String, NodeCell> byName, String node) {
    NodeCell cell = byName.get(node);
    if (cell == null) {
      throw new IllegalStateException("internal: graph refers to an unknown node " + node);
    }
    return cell;
  }

  /** Builds, starts every node, then the workers. */
  public static RunningGraph start(Graph graph, RuntimeConfig config) {
    GraphRuntime runtime = new GraphRuntime(graph, config);
    try {
      NodeClaims.claimAll(runtime, runtime.cells);
    } catch (RuntimeException e) {
      runtime.metrics.close(); // registered by the constructor; nothing else started
      throw e;
    }
    boolean nodesStarted = false;
    try {
      runtime.startNodes(); // a failing onStart stops the nodes started so far itself
      nodesStarted = true;
      for (NodeCell cell : runtime.cells) {
        cell.afterStart();
      }
      runtime.startWorkers();
      return runtime;
    } catch (RuntimeException | Error e) {
      runtime.abortStart(nodesStarted, e);
      throw e;
    }
  }

  /**
   * Undoes a start that failed (a node's onStart, or creating or starting a worker thread: a
   * ThreadFactory that throws, no native thread left): no caller will ever get a RunningGraph to
   * stop, so whatever started is stopped here, and the nodes are free to start again.
   */
  private void abortStart(boolean nodesStarted, Throwable failure) {
    workersStop = true;
    queues.close();
    List<String> stuck = joinWorkers(STUCK_WORKER_GRACE_MILLIS);
    closeClockSubscription();
    metrics.close();
    if (!stuck.isEmpty()) {
      // A worker that started before the failure is inside a hook: its nodes stay claimed, or
      // they could run on two threads.
      LOG.error("graph '{}': start failed while workers {} were inside a hook", name, stuck);
      return;
    }
    if (nodesStarted) {
      LOG.error("graph '{}' failed to start its workers; stopping its nodes", name, failure);
      for (int i = cells.length - 1; i >= 0; i--) {
        try {
          cells[i].callOnStop();
        } catch (RuntimeException | Error e) {
          failure.addSuppressed(e);
        }
      }
    }
    for (NodeCell cell : cells) {
      NodeClaims.release(this, cell.node);
    }
  }

  private void startNodes() {
    for (int i = 0; i < cells.length; i++) {
      NodeCell cell = cells[i];
      try {
        cell.node.onStart(cell);
      } catch (Throwable t) {
        if (Failures.isFatal(t)) {
          throw (Error) t;
        }
        // onStop is "always last": the failing node may hold what it acquired before it threw,
        // so it is stopped too, then the nodes started before it, in reverse order.
        for (int j = i; j >= 0; j--) {
          cells[j].callOnStop();
        }
        LOG.error("graph '{}' failed to start: node {} threw in onStart", name, cell.name, t);
        throw new GraphStartException(
            cell.name,
            "graph '"
                + name
                + "' failed to start: node "
                + cell.name
                + " threw in onStart: "
                + t
                + " (it and the nodes started before it were stopped)",
            t);
      }
      events.record(clock.nanoTime(), EventLog.Type.START, i, 0);
      long tick = cell.node.tickInterval().toNanos();
      if (tick > 0) {
        cell.tickEntry = timers.add(cell, tick, clock.nanoTime());
      }
    }
  }

  private void startWorkers() {
    if (clock instanceof VirtualClock virtual) {
      // Fire due ticks on the advancing thread: their cells are queued before advance() returns.
      // Merely waking the workers to look at the timers lost the wake-up when a worker had just
      // looked (at the old time) and was about to wait: it then slept through the due tick.
      clockSubscription = virtual.onAdvance(() -> timers.fireDue(virtual.nanoTime()));
    }
    for (int w = 0; w < config.workers(); w++) {
      Runnable loop = this::workerLoop;
      Thread thread =
          config.threadFactory() != null
              ? config.threadFactory().newThread(loop)
              : new Thread(loop, "weir-" + name + "-worker-" + w);
      if (config.threadFactory() == null) {
        thread.setDaemon(true);
      }
      workers.add(thread);
    }
    EngineLog.graphStarted(
        LOG, name, cells.length, links.size() - ingresses.size(), ingresses.size(), workers.size());
    // Queue every source before any worker runs: signalled after the start, the first source
    // could run (and queue its consumers) before the next source was queued, so the initial queue
    // order, and with it a single-worker run, depended on thread timing.
    for (NodeCell cell : cells) {
      if (cell.isSource()) {
        cell.signal(cell.band);
      }
    }
    for (Thread thread : workers) {
      thread.start();
    }
    if (cells.length == 0) {
      completed.countDown();
    }
  }

  private void workerLoop() {
    if (config.workers() == 1) {
      // The one worker owns the ready queues and writes its events without a lock. Bound from
      // the running thread itself, whatever the thread factory returned; pushes made before this
      // wait in the queues' inbox, which the first take drains.
      queues.bindWorker(Thread.currentThread());
      events.bindWriter(Thread.currentThread());
    }
    try {
      runWorker();
    } finally {
      queues.workerExiting();
    }
  }

  private void runWorker() {
    boolean virtual = clock instanceof VirtualClock;
    while (!workersStop) {
      long now = clock.nanoTime();
      timers.tryFireDue(now);
      long next = timers.nextDue();
      long wait;
      if (next == Long.MAX_VALUE || virtual) {
        wait = -1;
      } else {
        wait = Math.max(1, next - clock.nanoTime());
      }
      NodeCell cell;
      try {
        cell = queues.take(wait);
      } catch (InterruptedException e) {
        if (workersStop) {
          return;
        }
        continue;
      } catch (RuntimeException e) {
        LOG.error(
            "graph '{}': internal error in the ready queues; worker {} stops, and the graph"
                + " will not finish: stop it and report this",
            name,
            Thread.currentThread().getName(),
            e);
        return;
      }
      if (cell == null) {
        continue;
      }
      try {
        if (cell.beginActivation()) {
          cell.activate();
          if (cell.takeIfAbandoned()) {
            finishAbandoned(cell);
          }
          LoopGroup group = cell.loop;
          if (group != null) {
            // The activation may have finished its whole loop (LoopGroup.tryFinish claims every
            // member): a member shutdown could not take meanwhile is this worker's to finish too.
            for (NodeCell member : group.members()) {
              if (member != cell && member.takeIfAbandoned()) {
                finishAbandoned(member);
              }
            }
          }
        }
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError vme) {
          // Fatal (Failures.isFatal): this worker ends. The graph must not stall silently behind
          // it, so it stops, as under STOP_GRAPH; the report accounts for what is left.
          fatalError = vme;
          LOG.error(
              "graph '{}': a fatal error escaped node {}; worker {} ends and the graph stops",
              name,
              cell.name,
              Thread.currentThread().getName(),
              vme);
          try {
            if (stopGraphCause == null) {
              stopGraphCause = vme; // nodes finishing during this stop see why
            }
            stopOnNewThread(config.stopGraphTimeout());
          } catch (Throwable secondary) {
            vme.addSuppressed(secondary); // e.g. no thread left to stop with
          }
          throw vme;
        }
        LOG.error("graph '{}': internal error while running node {}", name, cell.name, e);
      } finally {
        queues.activationDone();
      }
    }
  }

  /**
   * This worker's activation outlived the shutdown's grace, so stop left the cell to it: once the
   * report is out (it counted the cell's queued input), dead-letter that input and stop the node.
   */
  private void finishAbandoned(NodeCell cell) {
    try {
      report.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.debug("graph '{}': stop failed; draining node {} anyway", name, cell.name, e);
    }
    LOG.warn(
        "graph '{}': node {} returned from its hook after the shutdown; dead-lettering its"
            + " input and stopping it",
        name,
        cell.name);
    cell.finishAbandoned();
  }

  // ------------------------------------------------------------------ callbacks from cells

  boolean isStopping() {
    return stopping;
  }

  void deadLetter(DeadLetter deadLetter) {
    deadLetterTally.count(deadLetter);
    try {
      deadLetterHandler.accept(deadLetter);
    } catch (Throwable e) {
      if (Failures.isFatal(e)) {
        throw (Error) e;
      }
      LOG.error("graph '{}': the dead-letter handler threw", name, e);
    }
  }

  /** The default dead-letter handler: one WARN line naming producer, edge and consumer. */
  private void logDeadLetter(DeadLetter d) {
    String edgeId = d.edgeId();
    EngineLog.deadLetter(name, d, edgeId == null ? null : linksById.get(edgeId));
  }

  /** A cell finished or stopped: its consumers lose an upstream; the graph may be complete. */
  void cellDone(NodeCell cell) {
    for (NodeCell.OutputPort out : cell.outputs) {
      for (EdgeLink link : out.links) {
        if (!isInsideLoop(link)) {
          link.consumer.upstreamDone();
        }
      }
    }
    if (liveCells.decrementAndGet() == 0) {
      completed.countDown();
    }
  }

  /** STOP_GRAPH: stops the graph from a separate thread, so the failing worker can return. */
  void stopByNode(String node, Throwable cause) {
    if (stopStarted.get()) {
      return;
    }
    if (stopGraphCause == null) {
      // Before the stopper starts: every node finishing during this stop sees the cause.
      stopGraphCause = cause;
    }
    LOG.error(
        "graph '{}' is stopping because node {} failed (error policy STOP_GRAPH)",
        name,
        node,
        cause);
    stopOnNewThread(config.stopGraphTimeout());
  }

  // ------------------------------------------------------------------ RunningGraph

  @Override
  public String name() {
    return name;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Ingress<T> ingress(String ingressName, Class<T> type) {
    IngressGate<?> gate = ingresses.get(ingressName);
    if (gate == null) {
      throw new IllegalArgumentException(
          "graph '"
              + name
              + "' has no ingress '"
              + ingressName
              + "'; declared: "
              + ingresses.keySet()
              + " (declare one with Graph.builder().ingress(name, \"node.port\"))");
    }
    Class<?> portType = linkOf(gate).edge.port().type();
    if (!portType.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          "ingress '"
              + ingressName
              + "' feeds a port of type "
              + portType.getName()
              + "; "
              + type.getName()
              + " is not assignable to it");
    }
    return (Ingress<T>) gate;
  }

  private EdgeLink linkOf(IngressGate<?> gate) {
    for (EdgeLink link : links) {
      if (link.ingress == gate) {
        return link;
      }
    }
    throw new IllegalStateException("internal: ingress without a link");
  }

  @Override
  public boolean awaitCompletion(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!completed.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return report.isDone();
    }
    // The last node finishes inside its activation, which still records its events after that.
    // Wait for it to end, so that a snapshot taken now is final (one-worker runs compare their
    // trace hashes right after this call). Finished nodes are never queued again, so this is
    // short; it gives up early only if a concurrent stop closed the queues.
    queues.awaitQuiet(Math.max(0, deadline - System.nanoTime()));
    return true;
  }

  @Override
  public boolean awaitQuiescence(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (; ; ) {
      long remaining = deadline - System.nanoTime();
      if (!queues.awaitQuiet(Math.max(0, remaining))) {
        return false;
      }
      if (timers.nextDue() > clock.nanoTime() && queues.isQuiet()) {
        return true;
      }
      if (remaining <= 0) {
        return false;
      }
      timers.fireDue(clock.nanoTime());
    }
  }

  @Override
  public boolean awaitDrained(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout must not be null");
    // A tick due now is work to wait for (it fires before the waiter takes its ticket, so a quiet
    // point that serves the waiter comes after it ran); ticks that fall due later are not.
    timers.fireDue(clock.nanoTime());
    return drainWatch.await(queues, IngressGate.saturatedNanos(timeout), report::isDone);
  }

  @Override
  public long progress() {
    // Each term never decreases (see NodeCounters.progress), so neither does the sum.
    long sum = 0;
    for (NodeCell c : cells) {
      sum += c.progressCount();
    }
    return sum;
  }

  @Override
  public GraphSnapshot snapshot() {
    List<GraphSnapshot.NodeView> nodes = new ArrayList<>(cells.length);
    for (NodeCell c : cells) {
      nodes.add(
          new GraphSnapshot.NodeView(
              c.name,
              c.viewState(),
              c.blockedOnView(),
              c.counter(NodeCounters.ACTIVATIONS),
              c.counter(NodeCounters.MESSAGES),
              c.counter(NodeCounters.ERRORS),
              c.counter(NodeCounters.RESTARTS),
              c.counter(NodeCounters.UNROUTED),
              c.counter(NodeCounters.TICKS),
              c.missedTicksView()));
    }
    List<GraphSnapshot.EdgeView> edges = new ArrayList<>(links.size());
    for (EdgeLink link : links) {
      edges.add(new GraphSnapshot.EdgeView(link.id, link.edge.stats()));
    }
    return new GraphSnapshot(
        name,
        clock.nanoTime(),
        List.copyOf(nodes),
        List.copyOf(edges),
        queues.depths(),
        events.hash(),
        events.count(),
        events.recent());
  }

  @Override
  public boolean isRunning() {
    if (!report.isDone()) {
      return true;
    }
    // A worker that outlived a timed-out stop is still inside a node's hook: not stopped yet.
    for (Thread worker : workers) {
      if (worker.isAlive()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public ShutdownReport stop(Duration timeout) {
    Thread current = Thread.currentThread();
    if (workers.contains(current)) {
      // Waiting here for the drain would wait for this very activation: the stop would time out
      // and dead-letter whatever was still in flight. So the stop runs on a thread of its own, as
      // STOP_GRAPH's does, and the caller learns where its report is (a caller inside a
      // CompletableFuture stage may never see this exception; the graph stops all the same).
      String stopper = stopOnNewThread(timeout);
      throw new IllegalStateException(
          "stop() was called on "
              + current.getName()
              + ", a worker of graph '"
              + name
              + "', from inside a node's hook or a callback the graph ran (e.g. a"
              + " CompletableFuture stage completed by a sink): it cannot wait for its own"
              + " activation. The graph is stopping on thread "
              + stopper
              + " instead; call stop() from another thread for the report (every call returns the"
              + " same one), e.g. with thenRunAsync, or let the node fail with"
              + " ErrorPolicy.STOP_GRAPH");
    }
    if (current == stoppingThread) {
      throw new IllegalStateException(
          "stop() was called again on "
              + current.getName()
              + ", the thread stopping graph '"
              + name
              + "' (from onStop, a dead-letter handler, or a callback they complete): it would"
              + " wait for itself. The stop is under way; the first stop() call returns its"
              + " report");
    }
    if (!stopStarted.compareAndSet(false, true)) {
      return awaitReport();
    }
    stoppingThread = current;
    try {
      ShutdownReport result = shutdown(timeout);
      report.complete(result);
      return result;
    } catch (RuntimeException | Error e) {
      report.completeExceptionally(e);
      throw e;
    } finally {
      stoppingThread = null;
      // The graph stopped: awaitCompletion returns now, even if the drain timed out and some
      // node never finished (its waiters would otherwise sleep out their whole timeout).
      completed.countDown();
      drainWatch.wakeAll(); // no quiet point comes after a stop: awaitDrained looks once more
    }
  }

  /** Stops the graph on a thread of its own, for callers that cannot wait; returns its name. */
  private String stopOnNewThread(Duration timeout) {
    String threadName = "weir-" + name + "-stopper";
    if (!stopStarted.get()) {
      Thread stopper = new Thread(() -> stop(timeout), threadName);
      stopper.setDaemon(true);
      stopper.start();
    }
    return threadName;
  }

  private ShutdownReport awaitReport() {
    try {
      return report.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while waiting for graph '" + name + "' to stop", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("stopping graph '" + name + "' failed", e.getCause());
    }
  }

  private ShutdownReport shutdown(Duration timeout) {
    long started = clock.nanoTime();
    long wallStart = System.nanoTime();
    EngineLog.graphStopping(LOG, name, timeout);
    stopping = true;
    events.record(started, EventLog.Type.SHUTDOWN, -1, 0);
    List<IngressGate<?>> closedNow = new ArrayList<>();
    for (IngressGate<?> gate : ingresses.values()) {
      if (gate.closeEdge()) {
        closedNow.add(gate);
      }
    }
    // Queued together, as simultaneous ticks are: with one worker and a virtual clock a stop is
    // part of the deterministic trace, so no consumer may start before the others are queued.
    queues.pushTogether(
        () -> {
          for (IngressGate<?> gate : closedNow) {
            gate.afterClose();
          }
          for (NodeCell cell : cells) {
            if (cell.isSource() || cell.inputs.length == 0) {
              cell.signal(cell.band);
            }
          }
        });
    for (IngressGate<?> gate : closedNow) {
      gate.notifyClosed();
    }
    boolean drained;
    try {
      drained = awaitDrain(timeout.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    }
    workersStop = true;
    queues.close();
    List<String> stuck =
        joinWorkers(
            drained ? timeout.toMillis() + STUCK_WORKER_GRACE_MILLIS : STUCK_WORKER_GRACE_MILLIS);
    closeClockSubscription();
    metrics.close();

    List<String> stopFailures = new ArrayList<>();
    VirtualMachineError fatal = fatalError;
    if (fatal != null) {
      stopFailures.add("a worker ended with a fatal error: " + fatal);
    }
    // The final drain takes every cell. A worker that outlived the grace is still inside a hook of
    // one cell; that cell cannot be taken (its node would run on two threads), so it is left to
    // that worker, which drains and stops it when the hook returns (see workerLoop). Closing the
    // edges first turns whatever such a hook still emits into dead letters rather than strays.
    for (EdgeLink link : links) {
      link.edge.close();
    }
    boolean[] taken = new boolean[cells.length];
    try {
      for (NodeCell cell : cells) {
        taken[cell.index] = cell.abandonForShutdown();
        if (taken[cell.index]) {
          cell.deadLetterOutbox(DeadLetter.Reason.SHUTDOWN_UNDELIVERED, null);
        }
      }
      for (EdgeLink link : links) {
        // An edge whose consumer is still inside a hook keeps what it holds: the report counts it
        // as queued (pending), and that worker dead-letters it once the hook returns.
        if (taken[link.consumer.index]) {
          link.edge.discardAll(
              m ->
                  deadLetter(
                      new DeadLetter(
                          m,
                          link.consumer.name,
                          link.id,
                          DeadLetter.Reason.SHUTDOWN_UNDELIVERED,
                          null)));
        }
      }
      for (int i = cells.length - 1; i >= 0; i--) {
        NodeCell cell = cells[i];
        if (!taken[i]) {
          stopFailures.add(
              cell.name
                  + ": still inside a hook after the drain timeout ("
                  + (stuck.isEmpty() ? "on the thread calling stop" : String.join(", ", stuck))
                  + "); it takes no more input, and its onStop and the dead-lettering of its"
                  + " undelivered input run when the hook returns");
          continue;
        }
        if (cell.viewState() != NodeState.FAILED) {
          Throwable failure = cell.callOnStop();
          if (failure != null) {
            stopFailures.add(cell.name + ": onStop threw " + failure);
          }
        }
        cell.markStopped();
      }
    } finally {
      // Even if an onStop failed fatally (an Error the runtime must not absorb) and left the loop:
      // no hook of a taken cell can run any more, so its node may start again.
      for (NodeCell cell : cells) {
        if (taken[cell.index]) {
          NodeClaims.release(this, cell.node);
        }
      }
    }
    List<ShutdownReport.EdgeOutcome> edgeOutcomes = new ArrayList<>(links.size());
    for (EdgeLink link : links) {
      EdgeStats s = link.edge.stats();
      edgeOutcomes.add(
          new ShutdownReport.EdgeOutcome(
              link.id,
              EngineLog.producerName(link),
              link.consumer.name,
              link.producer == null,
              s,
              deadLetterTally.ofEdge(link.id),
              link.outboxDeadLettered.get()));
    }
    List<ShutdownReport.NodeOutcome> nodeOutcomes = new ArrayList<>(cells.length);
    for (NodeCell cell : cells) {
      nodeOutcomes.add(
          new ShutdownReport.NodeOutcome(
              cell.name,
              cell.viewState(),
              cell.counter(NodeCounters.UNROUTED),
              deadLetterTally.ofNode(cell.name),
              taken[cell.index] ? null : cell.lastHookView()));
    }
    Duration elapsed =
        Duration.ofNanos(
            clock instanceof VirtualClock
                ? System.nanoTime() - wallStart
                : clock.nanoTime() - started);
    ShutdownReport result =
        new ShutdownReport(
            name,
            !drained,
            elapsed,
            List.copyOf(edgeOutcomes),
            List.copyOf(nodeOutcomes),
            deadLetterTally.total(),
            List.copyOf(stopFailures));
    EngineLog.graphStopped(LOG, result);
    return result;
  }

  /**
   * Waits for the graph to finish draining, at most the timeout, and no longer than some worker
   * lives to drain it (a fatal error may have ended them all).
   */
  private boolean awaitDrain(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    for (; ; ) {
      long left = deadline - System.nanoTime();
      if (completed.await(Math.max(0, Math.min(left, DRAIN_CHECK_NANOS)), TimeUnit.NANOSECONDS)) {
        return true;
      }
      if (left <= 0) {
        return false;
      }
      boolean anyAlive = false;
      for (Thread worker : workers) {
        anyAlive |= worker.isAlive();
      }
      if (!anyAlive) {
        return completed.getCount() == 0;
      }
    }
  }

  /** Joins the workers; returns the names of any still running (stuck in a hook). */
  private List<String> joinWorkers(long waitMillis) {
    List<String> stuck = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    for (Thread worker : workers) {
      if (worker == Thread.currentThread()) {
        continue;
      }
      try {
        worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (worker.isAlive()) {
        stuck.add(worker.getName());
      }
    }
    return stuck;
  }

  private void closeClockSubscription() {
    AutoCloseable subscription = clockSubscription;
    if (subscription != null) {
      try {
        subscription.close();
      } catch (Exception e) {
        LOG.debug("closing the clock subscription failed", e);
      }
    }
  }

  /** Why a node's STOP_GRAPH policy stopped the graph, or null (running, or stopped by stop()). */
  @Nullable Throwable stopGraphCause() {
    return stopGraphCause;
  }

  long deadLetters() {
    return deadLetterTally.total();
  }
}
