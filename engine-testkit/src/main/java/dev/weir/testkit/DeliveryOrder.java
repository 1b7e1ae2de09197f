package dev.weir.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records the order in which a sink receives the messages of each stream, and checks two properties
 * of it: per-stream FIFO and CONTROL-before-data.
 *
 * <p>A stream is a sequence of messages that one thread offers to one ingress in order (or one node
 * emits to one edge), each carrying its stream's name and a sequence number from one counter shared
 * by its DATA and CONTROL messages. The sink calls {@link #delivered} for each message it receives.
 *
 * <ul>
 *   <li>{@link #fifo()}: the DATA messages of a stream arrive in increasing sequence order, and so
 *       do its CONTROL messages (gaps are fine: lossy edges drop).
 *   <li>{@link #controlBeforeData()}: a CONTROL message is never overtaken by DATA offered after
 *       it: when CONTROL number c arrives, no DATA numbered above c has arrived before it.
 * </ul>
 *
 * <p>Thread-safety: safe from any number of sink threads; each stream's state is updated under its
 * own lock. The checkers read it after the run's threads were joined.
 */
public final class DeliveryOrder {

  private static final int EXAMPLES = 10;

  private final Map<String, StreamState> streams = new ConcurrentHashMap<>();
  private final AtomicLong deliveries = new AtomicLong();

  private DeliveryOrder() {}

  /**
   * Returns an empty recorder.
   *
   * @return the recorder
   */
  public static DeliveryOrder create() {
    return new DeliveryOrder();
  }

  /**
   * Records one delivery.
   *
   * @param stream the stream's name
   * @param sequence the message's number in its stream
   * @param control whether the message is CONTROL
   */
  public void delivered(String stream, long sequence, boolean control) {
    Objects.requireNonNull(stream, "stream");
    deliveries.incrementAndGet();
    StreamState state = streams.computeIfAbsent(stream, s -> new StreamState());
    synchronized (state) {
      if (control) {
        if (sequence <= state.lastControl) {
          state.fifo.add(
              stream + ": CONTROL #" + sequence + " after CONTROL #" + state.lastControl);
        }
        if (state.maxData > sequence) {
          state.overtaken.add(
              stream + ": DATA #" + state.maxData + " arrived before CONTROL #" + sequence);
        }
        state.lastControl = sequence;
      } else {
        if (sequence <= state.lastData) {
          state.fifo.add(stream + ": DATA #" + sequence + " after DATA #" + state.lastData);
        }
        state.lastData = sequence;
        state.maxData = Math.max(state.maxData, sequence);
      }
    }
  }

  /**
   * Returns the per-stream FIFO checker.
   *
   * @return a checker: INVALID naming the first reorderings, UNKNOWN when nothing was delivered
   */
  public Checker fifo() {
    return run -> verdict("in FIFO order", true);
  }

  /**
   * Returns the CONTROL-before-data checker.
   *
   * @return a checker: INVALID naming the first overtakings, UNKNOWN when nothing was delivered
   */
  public Checker controlBeforeData() {
    return run -> verdict("without DATA overtaking CONTROL", false);
  }

  private CheckResult verdict(String property, boolean fifo) {
    List<String> examples = new ArrayList<>();
    long count = 0;
    for (StreamState state : streams.values()) {
      synchronized (state) {
        List<String> broken = fifo ? state.fifo.lines : state.overtaken.lines;
        count += fifo ? state.fifo.count : state.overtaken.count;
        for (String line : broken) {
          if (examples.size() < EXAMPLES) {
            examples.add(line);
          }
        }
      }
    }
    long seen = deliveries.get();
    if (count > 0) {
      return CheckResult.invalid(count + " deliveries out of order, e.g. " + examples);
    }
    if (seen == 0) {
      return CheckResult.unknown("no delivery was recorded: the order check proves nothing");
    }
    return CheckResult.valid(seen + " deliveries on " + streams.size() + " streams " + property);
  }

  /** One stream's order state; guarded by its own monitor. */
  private static final class StreamState {
    long lastData = Long.MIN_VALUE;
    long lastControl = Long.MIN_VALUE;
    long maxData = Long.MIN_VALUE;
    final Violations fifo = new Violations();
    final Violations overtaken = new Violations();
  }

  /** A count of violations with the first few described. */
  private static final class Violations {
    long count;
    final List<String> lines = new ArrayList<>();

    void add(String line) {
      count++;
      if (lines.size() < EXAMPLES) {
        lines.add(line);
      }
    }
  }
}
