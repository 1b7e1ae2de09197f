package dev.weir.testkit.internal.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The command's scenario categories, by their command-line names.
 *
 * <p>Thread-safety: an enum.
 */
enum Category {
  MEMORY("memory", "bounded memory under 1 MiB payloads, with a leak detector"),
  CPU("cpu", "pipeline throughput: four stages of CPU work, two workers"),
  CONCURRENCY("concurrency", "eight feeders racing on one small ingress: FIFO, ledger"),
  LOAD("load", "open-model load, latency percentiles; saturation search (medium, high)"),
  FAULT("fault", "fault plan (throws, delays) with safety and liveness phases"),
  LONG_RUNNING("long-running", "steady mixed workload, resource monitor, leak detector"),
  ALL("all", "every category above, in that order");

  final String label;
  final String description;

  Category(String label, String description) {
    this.label = label;
    this.description = description;
  }

  /** The categories this one runs: itself, or every one for {@code all}. */
  List<Category> expand() {
    return this == ALL ? Arrays.stream(values()).filter(c -> c != ALL).toList() : List.of(this);
  }

  static Category parse(String text) {
    return Labels.parse(Category.class, text, c -> c.label);
  }

  static String labels() {
    return Arrays.stream(values()).map(c -> c.label).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return label.toLowerCase(Locale.ROOT);
  }
}
