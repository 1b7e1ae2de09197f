package dev.weir.benchmarks;

import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OfferStatus;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * control_latency: CONTROL messages injected at a steady rate into a saturated pipeline4, with the
 * latency from injection to {@code onMessage} recorded in HdrHistogram. None of the peers has a
 * control lane, so this one is Weir only.
 *
 * <pre>
 *   injector thread ──offerControl (R/s)──┐
 *                                         ▼
 *   source (endless) ──▶ map x*3 ──▶ filter even ──▶ sink
 *                        [hop]                       [end-to-end]
 * </pre>
 *
 * <p>The source never runs dry, so every edge stays full and the worker(s) never idle: the pipeline
 * is saturated. An injector thread offers one CONTROL message every {@code 1/rate} seconds through
 * the ingress {@code control} into {@code map.in}. The message carries the ingress's time stamp
 * ({@code System.nanoTime()} at injection); "hop" is the time until the map node's {@code
 * onMessage} sees it, "end-to-end" until the sink's {@code onMessage} (it overtakes the queued data
 * on every edge). A warm-up is run and discarded, then a status line is printed every second and a
 * summary at the end; every CONTROL message accepted must arrive, or the run exits with status 1.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.weir.benchmarks.ControlLatency
 * [--seconds 20] [--warmup 5] [--rate 10000] [--workers 1] [--batch 64]}. The targets (1
 * worker, saturated): hop p99 &lt;= 10 µs and max &lt;= 1 ms.
 *
 * <p>Thread-safety: a command-line tool; the recorders are written by node threads and read by the
 * main thread (HdrHistogram's {@link Recorder} is built for that).
 */
public final class ControlLatency {

  private static final long HIGHEST_NANOS = Duration.ofMinutes(1).toNanos();

  private final Recorder hop = new Recorder(HIGHEST_NANOS, 3);
  private final Recorder endToEnd = new Recorder(HIGHEST_NANOS, 3);
  private final AtomicLong controlAtMap = new AtomicLong();
  private final AtomicLong controlAtSink = new AtomicLong();
  private final AtomicLong dataAtSink = new AtomicLong();
  private volatile boolean injecting = true;
  private long accepted;
  private long refused;

  private ControlLatency() {}

  /**
   * Runs the measurement.
   *
   * @param args {@code --seconds N --warmup N --rate PER_SECOND --workers N --batch N}
   * @throws Exception if the run fails
   */
  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    int status = new ControlLatency().run(o, System.out);
    System.exit(status);
  }

  /** Command-line options. */
  record Options(int seconds, int warmup, int rate, int workers, int batch) {
    static Options parse(String[] args) {
      int seconds = 20;
      int warmup = 5;
      int rate = 10_000;
      int workers = 1;
      int batch = 64;
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value after " + args[i]);
        }
        int value = Integer.parseInt(args[i + 1]);
        switch (args[i]) {
          case "--seconds" -> seconds = value;
          case "--warmup" -> warmup = value;
          case "--rate" -> rate = value;
          case "--workers" -> workers = value;
          case "--batch" -> batch = value;
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + "; use --seconds --warmup --rate --workers --batch");
        }
      }
      return new Options(seconds, warmup, rate, workers, batch);
    }
  }

  int run(Options o, PrintStream out) throws Exception {
    Graph graph =
        Graph.builder("control-latency")
            .add("source", Nodes.source(Long.class, ControlLatency::endless))
            .add("map", new TimedMap())
            .add("filter", Nodes.filter(Long.class, x -> (x & 1) == 0))
            .add("sink", new TimedSink())
            .connect("source.out", "map.in")
            .connect("map.out", "filter.in")
            .connect("filter.out", "sink.in")
            .ingress("control", "map.in")
            .build();
    RunningGraph running =
        Scheduler.builder().workers(o.workers()).batchLimit(o.batch()).build().start(graph);
    Ingress<Long> control = running.ingress("control", Long.class);
    Thread injector = new Thread(() -> inject(control, o.rate()), "control-injector");
    injector.setDaemon(true);
    injector.start();
    Histogram hopTotal = new Histogram(HIGHEST_NANOS, 3);
    Histogram e2eTotal = new Histogram(HIGHEST_NANOS, 3);
    long dataStart;
    long measureStart;
    try {
      out.printf(
          Locale.ROOT,
          "control_latency: %d worker(s), batch %d, %d CONTROL/s, warm-up %d s, measure %d s%n",
          o.workers(),
          o.batch(),
          o.rate(),
          o.warmup(),
          o.seconds());
      pause(Duration.ofSeconds(o.warmup()));
      hop.getIntervalHistogram(); // discard the warm-up
      endToEnd.getIntervalHistogram();
      dataStart = dataAtSink.get();
      measureStart = System.nanoTime();
      for (int s = 1; s <= o.seconds(); s++) {
        long dataBefore = dataAtSink.get();
        pause(Duration.ofSeconds(1));
        Histogram h = hop.getIntervalHistogram();
        Histogram e = endToEnd.getIntervalHistogram();
        hopTotal.add(h);
        e2eTotal.add(e);
        out.printf(
            Locale.ROOT,
            "t=%2ds control=%6d hop p50=%7.1f p99=%8.1f max=%9.1f µs | e2e p99=%8.1f µs"
                + " | data %5.2f M/s%n",
            s,
            h.getTotalCount(),
            micros(h.getValueAtPercentile(50)),
            micros(h.getValueAtPercentile(99)),
            micros(h.getMaxValue()),
            micros(e.getValueAtPercentile(99)),
            (dataAtSink.get() - dataBefore) / 1e6);
      }
    } finally {
      injecting = false;
      injector.join();
    }
    double dataRate = (dataAtSink.get() - dataStart) * 1e3 / (System.nanoTime() - measureStart);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while ((controlAtMap.get() < accepted || controlAtSink.get() < accepted)
        && System.nanoTime() < deadline) {
      pause(Duration.ofMillis(10));
    }
    ShutdownReport report = running.stop(Duration.ofSeconds(10));
    hopTotal.add(hop.getIntervalHistogram());
    e2eTotal.add(endToEnd.getIntervalHistogram());
    summary(out, "hop (ingress -> map.onMessage)", hopTotal);
    summary(out, "end-to-end (ingress -> sink.onMessage)", e2eTotal);
    out.printf(
        Locale.ROOT,
        "data throughput while measuring: %.2f M msgs/s at the sink%n"
            + "CONTROL: %d accepted, %d refused (lane full), %d reached map, %d reached sink%n",
        dataRate,
        accepted,
        refused,
        controlAtMap.get(),
        controlAtSink.get());
    out.printf(
        Locale.ROOT,
        "target hop p99 <= 10 µs: %s (%.1f µs); target max <= 1 ms: %s (%.1f µs)%n",
        hopTotal.getValueAtPercentile(99) <= 10_000 ? "met" : "MISSED",
        micros(hopTotal.getValueAtPercentile(99)),
        hopTotal.getMaxValue() <= 1_000_000 ? "met" : "MISSED",
        micros(hopTotal.getMaxValue()));
    if (controlAtMap.get() != accepted || controlAtSink.get() != accepted) {
      out.println("FAILED: CONTROL messages were lost\n" + report.render());
      return 1;
    }
    return 0;
  }

  private static void summary(PrintStream out, String what, Histogram h) {
    out.printf(
        Locale.ROOT,
        "%s: n=%d p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f µs%n",
        what,
        h.getTotalCount(),
        micros(h.getValueAtPercentile(50)),
        micros(h.getValueAtPercentile(90)),
        micros(h.getValueAtPercentile(99)),
        micros(h.getValueAtPercentile(99.9)),
        micros(h.getMaxValue()));
  }

  private static double micros(long nanos) {
    return nanos / 1e3;
  }

  private static void pause(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    for (long left; (left = until - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(left);
    }
  }

  /** The injector: one CONTROL message per period, on a fixed schedule (no drift). */
  private void inject(Ingress<Long> control, int rate) {
    long period = 1_000_000_000L / rate;
    long next = System.nanoTime();
    long seq = 0;
    while (injecting) {
      next += period;
      for (long left; (left = next - System.nanoTime()) > 0; ) {
        if (left > 20_000) {
          LockSupport.parkNanos(left - 10_000);
        } else {
          Thread.onSpinWait();
        }
      }
      OfferStatus status = control.offerControl(2 * seq++).status();
      if (status == OfferStatus.ACCEPTED) {
        accepted++;
      } else {
        refused++;
      }
    }
  }

  private static Iterator<Long> endless() {
    return new Iterator<>() {
      private long next;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Long next() {
        return next++;
      }
    };
  }

  /** map x*3, timing the CONTROL messages it receives. */
  private final class TimedMap implements Node {
    private final PortSpec<Long> in = PortSpec.of("in", Long.class);
    private final PortSpec<Long> out = PortSpec.of("out", Long.class);

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      Message<Long> m = in.cast(message);
      if (m.isControl()) {
        hop.recordValue(Math.max(0, System.nanoTime() - m.timestampNanos()));
        controlAtMap.lazySet(controlAtMap.get() + 1);
      }
      ctx.emit(out, m.withPayload(m.payload() * 3));
    }
  }

  /** The sink: counts data, times the CONTROL messages that reach it. */
  private final class TimedSink implements Node {
    private final PortSpec<Long> in = PortSpec.of("in", Long.class);

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      if (message.isControl()) {
        endToEnd.recordValue(Math.max(0, System.nanoTime() - message.timestampNanos()));
        controlAtSink.lazySet(controlAtSink.get() + 1);
      } else {
        dataAtSink.lazySet(dataAtSink.get() + 1);
      }
    }
  }
}
