package dev.weir.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pins the thread facts docs/benchmarks.md states about pipeline4: which variants really run their
 * two halves on two threads, and which collapse onto one.
 */
class StageThreadsTest {

  @Test
  void pipeline4_eachVariant_runsItsStagesWhereTheDocsSay() throws Exception {
    Map<String, StageThreads.Observed> seen = StageThreads.pipeline4(20_000);

    assertThat(threads(seen, "weirOneWorker", "1 source"))
        .as("%s", seen)
        .containsExactly("weir-pipeline4-worker-0");
    assertThat(threads(seen, "weirOneWorker", "4 sink")).containsExactly("weir-pipeline4-worker-0");
    assertThat(threads(seen, "weirTwoWorkers", "2 map")).allMatch(t -> t.startsWith("weir-"));
    assertThat(threads(seen, "reactorFused", "4 sink")).allMatch(t -> t.endsWith("(caller)"));
    assertThat(threads(seen, "rxFused", "4 sink")).allMatch(t -> t.endsWith("(caller)"));
    // subscribeOn + publishOn/observeOn: two dedicated threads, one per half.
    assertThat(threads(seen, "reactorSubscribeOnPublishOn", "1 source"))
        .singleElement()
        .matches(t -> t.startsWith("reactor-producer-"));
    assertThat(threads(seen, "reactorSubscribeOnPublishOn", "4 sink"))
        .singleElement()
        .matches(t -> t.startsWith("reactor-consumer-"));
    assertThat(threads(seen, "rxSubscribeOnObserveOn", "1 source"))
        .containsExactly("rx-producer-0");
    assertThat(threads(seen, "rxSubscribeOnObserveOn", "4 sink")).containsExactly("rx-consumer-0");
    // publishOn/observeOn alone: after the first prefetch the consumer's thread also runs the
    // source.
    assertThat(threads(seen, "reactorPublishOn", "1 source"))
        .anyMatch(t -> t.startsWith("reactor-consumer-"));
    assertThat(threads(seen, "rxObserveOn", "1 source")).contains("rx-consumer-0");
    assertThat(threads(seen, "abqTwoThreads", "2 map")).containsExactly("abq-producer-0");
    assertThat(threads(seen, "abqTwoThreads", "3 filter")).allMatch(t -> t.endsWith("(caller)"));
  }

  private static Set<String> threads(
      Map<String, StageThreads.Observed> seen, String variant, String stage) {
    return seen.get(variant).threads().get(stage);
  }
}
