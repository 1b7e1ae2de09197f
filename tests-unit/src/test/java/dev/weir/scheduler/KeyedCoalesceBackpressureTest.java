package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.NodeContext;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import dev.weir.scheduler.SchedulerFixtures.CollectingSink;
import dev.weir.scheduler.SchedulerFixtures.DeadLetterLog;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression test for issue 14, point 6, inside a running graph: a keyed COALESCE edge (one key per
 * sensor) whose queue is full of other sensors' readings. The offer of a reading whose sensor has
 * nothing queued must not be merged into another sensor's reading (it used to be, and the
 * per-sensor merge threw: MERGE_FAILED dead letters); with the default fallback BLOCK the producer
 * parks it as for a BLOCK edge and emits it once the consumer made room, so every reading is
 * delivered, merged or not, and nothing is dead-lettered.
 *
 * <pre>
 * sensors --[capacity 2, COALESCE(merge, sensor)]--> sink
 * </pre>
 */
class KeyedCoalesceBackpressureTest {

  private static final int SENSORS = 8;
  private static final int READINGS = 5_000;

  /**
   * A reading: {@code count * 8 + sensor}; merging two readings of one sensor adds their counts.
   */
  private static final Function<Long, Long> SENSOR = r -> r % SENSORS;

  /** Throws on readings of two sensors, as a real per-sensor merge would. */
  private static final BinaryOperator<Long> PER_SENSOR_MERGE =
      (queued, incoming) -> {
        if (!SENSOR.apply(queued).equals(SENSOR.apply(incoming))) {
          throw new IllegalArgumentException(
              "merging sensor " + SENSOR.apply(incoming) + " into " + SENSOR.apply(queued));
        }
        return queued + incoming - SENSOR.apply(incoming);
      };

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void keyedCoalesce_fullOfOtherKeys_blocksTheProducerAndLosesNothing(int workers)
      throws Exception {
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("keyed-coalesce")
            .add("sensors", new Sensors())
            .add("sink", sink)
            .connect(
                "sensors.out",
                "sink.in",
                EdgeSpec.of(2, OverflowPolicy.coalesce(PER_SENSOR_MERGE, SENSOR)))
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running = SchedulerFixtures.scheduler(workers, deadLetters).build().start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
    } finally {
      report = running.stop(LONG);
    }
    EdgeStats stats = Objects.requireNonNull(running.snapshot().edge("sensors.out->sink.in"));
    List<Long> received = sink.received();
    String context = stats + "\n" + report.render();

    assertThat(deadLetters.all()).as(context).isEmpty();
    assertThat(stats.failed()).as(context).isZero();
    assertThat(stats.blocked()).as("a full edge without the key blocks; %s", context).isPositive();
    assertThat(stats.dropped() + stats.evicted()).as(context).isZero();
    assertThat(stats.accepted() + stats.coalesced())
        .as("every reading enqueued or merged once; %s", context)
        .isEqualTo(READINGS);
    assertThat(stats.unaccounted()).as(context).isZero();
    assertThat(received.stream().mapToLong(r -> r / SENSORS).sum())
        .as("readings delivered, counting merged ones; %s", context)
        .isEqualTo(READINGS);
    assertThat(report.undelivered()).as(context).isZero();
  }

  /** Emits readings of sensors 0, 1, ... 7, 0, 1, ... ignoring demand, 64 per pull. */
  static final class Sensors implements SourceNode {
    private final PortSpec<Long> out = SchedulerFixtures.out();
    private long next;

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public boolean pull(NodeContext ctx) {
      for (int i = 0; i < 64 && next < READINGS; i++) {
        ctx.emit(out, SENSORS + next++ % SENSORS);
      }
      return next < READINGS;
    }
  }
}
