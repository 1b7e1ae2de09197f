package dev.weir.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Nodes;
import dev.weir.scheduler.Priority;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Oversubscription: 1, 2, 4 and 8 workers on the project's 2-core machine (more workers than cores,
 * so workers are preempted in the middle of activations and hand-overs), running one chain of
 * source, two maps and a sink in each of the HIGH, NORMAL and LOW bands over capacity-1 BLOCK
 * edges.
 *
 * <p>Guards against a node on two threads at once (every map and sink counts the threads inside it;
 * the ring hand-over, stealing and the shared queue must never let two workers activate the same
 * cell), lost or reordered messages, and starvation across bands: every band must have delivered at
 * least {@value #MIN_SHARE_PERCENT}% of its messages by the time the first chain finishes (smooth
 * weighted round-robin gives LOW 1 pick in 7 among these three bands when all are busy; a worker's
 * own ring must not let the band it happens to hold run ahead of the others).
 */
class OversubscriptionStressTest {

  static final int MIN_SHARE_PERCENT = 2;
  static final Priority[] BANDS = {Priority.HIGH, Priority.NORMAL, Priority.LOW};

  /** Counts the threads inside a node; records any overlap. */
  static final class Exclusive {
    final AtomicInteger inside = new AtomicInteger();
    final AtomicLong overlaps = new AtomicLong();

    <T> T run(Supplier<T> body) {
      if (inside.incrementAndGet() != 1) {
        overlaps.incrementAndGet();
      }
      try {
        return body.get();
      } finally {
        inside.decrementAndGet();
      }
    }
  }

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4, 8})
  void moreWorkersThanCores_neverRunANodeTwiceAtOnceNorStarveABand(int workers)
      throws InterruptedException {
    long messages = StressReports.scale().pick(20_000L, 1_000_000L);
    Exclusive[] guards = new Exclusive[BANDS.length * 3];
    for (int i = 0; i < guards.length; i++) {
      guards[i] = new Exclusive();
    }
    AtomicLong[] delivered = new AtomicLong[BANDS.length];
    AtomicLong[] disorder = new AtomicLong[BANDS.length];
    long[] deliveredWhenFirstDone = new long[BANDS.length];
    AtomicInteger chainsDone = new AtomicInteger();
    GraphBuilder b = Graph.builder("oversubscribed");
    Map<String, Priority> priorities = new LinkedHashMap<>();
    for (int c = 0; c < BANDS.length; c++) {
      int chain = c;
      delivered[c] = new AtomicLong();
      disorder[c] = new AtomicLong();
      String p = BANDS[c].name().toLowerCase(Locale.ROOT);
      Function<Long, Long> hop1 = x -> guards[chain * 3].run(() -> x);
      Function<Long, Long> hop2 = x -> guards[chain * 3 + 1].run(() -> x);
      b.add(p + "-source", Nodes.range(0, messages))
          .add(p + "-hop1", Nodes.map(Long.class, Long.class, hop1))
          .add(p + "-hop2", Nodes.map(Long.class, Long.class, hop2))
          .add(
              p + "-sink",
              Nodes.sink(
                  Long.class,
                  x ->
                      guards[chain * 3 + 2].run(
                          () -> {
                            long seen = delivered[chain].getAndIncrement();
                            if (seen != x) {
                              disorder[chain].incrementAndGet();
                            }
                            if (seen == messages - 1 && chainsDone.getAndIncrement() == 0) {
                              for (int other = 0; other < BANDS.length; other++) {
                                deliveredWhenFirstDone[other] = delivered[other].get();
                              }
                            }
                            return x;
                          })))
          .connect(p + "-source.out", p + "-hop1.in", EdgeSpec.blocking(1))
          .connect(p + "-hop1.out", p + "-hop2.in", EdgeSpec.blocking(1))
          .connect(p + "-hop2.out", p + "-sink.in", EdgeSpec.blocking(1));
      for (String node : new String[] {"-source", "-hop1", "-hop2", "-sink"}) {
        priorities.put(p + node, BANDS[c]);
      }
    }
    ShapeRun.Result r =
        ShapeRun.run(
            b.build(),
            workers,
            builder -> {
              priorities.forEach(builder::priority);
              return builder;
            });
    for (int c = 0; c < BANDS.length; c++) {
      assertThat(delivered[c].get()).as("%s messages delivered", BANDS[c]).isEqualTo(messages);
      assertThat(disorder[c].get()).as("%s messages out of order", BANDS[c]).isZero();
    }
    for (int g = 0; g < guards.length; g++) {
      assertThat(guards[g].overlaps.get())
          .as("activations of node %d overlapping on two threads", g)
          .isZero();
    }
    for (int c = 0; c < BANDS.length; c++) {
      assertThat(deliveredWhenFirstDone[c] * 100)
          .as(
              "%s band's messages delivered when the first chain finished (of %d): starved?",
              BANDS[c], messages)
          .isGreaterThanOrEqualTo(MIN_SHARE_PERCENT * messages);
    }
    assertThat(r.report().undelivered()).isZero();
  }
}
