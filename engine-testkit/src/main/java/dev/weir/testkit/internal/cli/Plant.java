package dev.weir.testkit.internal.cli;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The bugs {@code --plant} puts into the built-in graphs, to see the checkers catch them (a
 * self-check: each must make the run exit 1), and the categories whose checks catch each.
 *
 * <p>Thread-safety: an enum.
 */
enum Plant {
  LOST_MESSAGE(
      "lost-message", "a node drops every 50th message silently (ledger)", Category.values()),
  REORDER("reorder", "a node swaps neighbouring messages (FIFO)", Category.values()),
  CORRUPT("corrupt", "a node flips a bit in every 50th payload (checksums)", Category.values()),
  LEAK(
      "leak",
      "a node keeps ~1 GiB/min while messages flow (heap)",
      Category.MEMORY,
      Category.LONG_RUNNING,
      Category.ALL),
  STALL("stall", "a node never returns from its 100th message (liveness)", Category.values()),
  NEVER_FIRES(
      "never-fires",
      "a fault that never fires (faults: NOT_EXERCISED)",
      Category.FAULT,
      Category.ALL);

  final String label;
  final String description;

  @SuppressWarnings("ImmutableEnumChecker") // List.of: unmodifiable
  private final List<Category> caughtIn;

  Plant(String label, String description, Category... caughtIn) {
    this.label = label;
    this.description = description;
    this.caughtIn = List.of(caughtIn);
  }

  /** Whether a run of this category has a check that catches the plant. */
  boolean caughtIn(Category category) {
    return caughtIn.contains(category);
  }

  /** The categories that catch it, for the error message. */
  String catchers() {
    return caughtIn.stream().map(c -> c.label).collect(Collectors.joining(", "));
  }

  static Plant parse(String text) {
    return Labels.parse(Plant.class, text, p -> p.label);
  }

  static String labels() {
    return Arrays.stream(values()).map(p -> p.label).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return label;
  }
}
