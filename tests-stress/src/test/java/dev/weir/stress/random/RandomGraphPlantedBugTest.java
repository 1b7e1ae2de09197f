package dev.weir.stress.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.core.OverflowPolicy;
import dev.weir.stress.random.CaseModel.EdgeModel;
import dev.weir.stress.random.CaseModel.IngressModel;
import dev.weir.stress.random.CaseModel.NodeModel;
import dev.weir.stress.random.CaseModel.Planted;
import dev.weir.stress.random.CaseModel.PlantedBug;
import dev.weir.testkit.Seeds;
import dev.weir.testkit.junit.WeirTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Proves that the random-graph checks bite: a test-only bug planted in the first node of a
 * generated case (it loses a message, swaps two, or hangs) must fail the run with the named check,
 * the case seed, the command that replays the case and a failure folder holding its snapshot. Each
 * test picks the first case derived from its seed whose first node can carry the bug (a lossless
 * BLOCK ingress and BLOCK edges around it, no faults anywhere), so the bug is always met.
 */
@WeirTest
class RandomGraphPlantedBugTest {

  @Test
  void lostMessage_failsEdgeConservation_withSeedAndReplay(long seed) {
    assertCaught(
        seed,
        PlantedBug.LOSE_ONE,
        "edge conservation",
        "lostMessage_failsEdgeConservation_withSeedAndReplay",
        Duration.ofSeconds(10));
  }

  @Test
  void swappedMessages_failFifoPerProducer_withSeedAndReplay(long seed) {
    assertCaught(
        seed,
        PlantedBug.SWAP_TWO,
        "fifo per producer",
        "swappedMessages_failFifoPerProducer_withSeedAndReplay",
        Duration.ofSeconds(10));
  }

  @Test
  void hungNode_isStoppedAndFailsCleanStop_keepingItsSnapshot(long seed) throws Exception {
    long caseSeed =
        assertCaught(
            seed,
            PlantedBug.HANG,
            "clean stop",
            "hungNode_isStoppedAndFailsCleanStop_keepingItsSnapshot",
            Duration.ofSeconds(1));
    Path snapshot = RandomGraphs.FOLDER.resolve("case-" + caseSeed).resolve("snapshot.txt");
    assertThat(Files.readString(snapshot))
        .startsWith("taken when the case hung: ")
        .contains("no counter moved for");
  }

  private static long assertCaught(
      long seed, PlantedBug bug, String check, String method, Duration stall) {
    long caseSeed = plantable(seed);
    RandomGraphs.Settings one =
        new RandomGraphs.Settings(1, Duration.ofMinutes(1), stall, caseSeed);
    assertThatThrownBy(
            () ->
                RandomGraphs.run(
                    seed,
                    one,
                    RandomGraphPlantedBugTest.class,
                    method,
                    model -> model.withPlanted(new Planted(0, bug))))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("(case seed " + caseSeed + ", run seed " + seed + ")")
        .hasMessageContaining("\n  " + check + ": ")
        .hasMessageContaining(
            "replay this case: mvn -B -ntp -pl tests-stress -am test -Dtest='RandomGraphPlantedBugTest#"
                + method
                + "' -Dweir.seed="
                + seed
                + " -Dweir.random.case="
                + caseSeed)
        .hasMessageContaining("artifacts: ");
    Path folder = RandomGraphs.FOLDER.resolve("case-" + caseSeed);
    assertThat(folder.resolve("snapshot.txt")).exists();
    assertThat(folder.resolve("replay.txt")).exists();
    return caseSeed;
  }

  /** The first case derived from the seed whose node 0 is sure to meet a planted bug. */
  private static long plantable(long seed) {
    for (int k = 0; ; k++) {
      long caseSeed = Seeds.derive(seed, k);
      CaseModel model = CaseGenerator.generate(caseSeed);
      if (plantable(model)) {
        return caseSeed;
      }
    }
  }

  private static boolean plantable(CaseModel model) {
    for (NodeModel n : model.nodes()) {
      if (n.throwRate() > 0) {
        return false;
      }
    }
    int fed = 0;
    for (IngressModel in : model.ingresses()) {
      if (in.target() == 0) {
        if (in.spec().policy() != OverflowPolicy.BLOCK) {
          return false;
        }
        fed += in.feeders() * in.messages();
      }
    }
    // Every edge BLOCK, not only those leaving the planted node: a merging edge further down (a
    // keyed COALESCE, where per-producer order inside merged tokens is not checked) can merge the
    // two swapped messages into one token and hide the swap.
    for (EdgeModel e : model.edges()) {
      if (e.spec().policy() != OverflowPolicy.BLOCK) {
        return false;
      }
    }
    return fed >= 20 && !model.nodes().get(0).sink();
  }
}
