package dev.weir.testkit.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads of a suite report's map (the one the suite's {@code report.json} is written from),
 * shared by its Markdown and HTML renderings.
 *
 * <p>Thread-safety: stateless.
 */
final class SuiteFields {

  private SuiteFields() {}

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> scenarios(Map<String, Object> suite) {
    if (suite.get("scenarios") instanceof List<?> list) {
      return list.stream().filter(Map.class::isInstance).map(m -> (Map<String, Object>) m).toList();
    }
    return List.of();
  }

  static String verdict(Map<String, Object> map) {
    return ReportFields.passed(map) ? "PASSED" : "FAILED";
  }

  /** {@code p50 / p99 / max} in ms, or a dash without latency. */
  static String latency(Map<String, Object> scenario) {
    Map<String, Object> l = ReportFields.map(scenario, "latency");
    if (l == null) {
      return "-";
    }
    return ms(l.get("p50Millis")) + " / " + ms(l.get("p99Millis")) + " / " + ms(l.get("maxMillis"));
  }

  /** {@code FIRED n} / {@code NOT_EXERCISED} per fault, or a dash without faults. */
  static String faults(Map<String, Object> scenario) {
    if (!(scenario.get("faults") instanceof List<?> list) || list.isEmpty()) {
      return "-";
    }
    StringBuilder sb = new StringBuilder();
    for (Object o : list) {
      if (o instanceof Map<?, ?> f) {
        sb.append(sb.length() == 0 ? "" : ", ")
            .append(f.get("name"))
            .append(' ')
            .append(f.get("verdict"))
            .append("FIRED".equals(f.get("verdict")) ? " " + f.get("fired") : "");
      }
    }
    return sb.toString();
  }

  /** A load's accounting in one line: intended, completed, late starts, failed, lost. */
  static String load(Map<String, Object> load) {
    return "intended "
        + load.get("intended")
        + ", completed "
        + load.get("completed")
        + ", late starts "
        + load.get("lateStarts")
        + " (max lag "
        + ms(load.get("maxStartLagMillis"))
        + " ms), failed "
        + load.get("failed")
        + ", lost "
        + load.get("lost")
        + ", not started "
        + load.get("notStarted");
  }

  /** The checks of a scenario that did not say VALID, as {@code name: VERDICT detail} lines. */
  static List<String> failedChecks(Map<String, Object> scenario) {
    return ReportFields.verdicts(scenario.containsKey("verdicts") ? wrap(scenario) : Map.of())
        .entrySet()
        .stream()
        .filter(v -> !"VALID".equals(v.getValue().get("verdict")))
        .map(
            v ->
                v.getKey()
                    + ": "
                    + v.getValue().get("verdict")
                    + " "
                    + String.valueOf(v.getValue().get("detail")).strip())
        .toList();
  }

  /** A report map with this scenario as its first, for {@link ReportFields}. */
  static Map<String, Object> wrap(Map<String, Object> scenario) {
    return Map.of("scenarios", List.of(scenario));
  }

  static String ms(@Nullable Object value) {
    return value instanceof Number n ? String.format(Locale.ROOT, "%.2f", n.doubleValue()) : "-";
  }

  static String text(@Nullable Object value) {
    return value == null ? "-" : String.valueOf(value);
  }

  /** An id-safe form of a scenario's name. */
  static String slug(String name) {
    return name.replaceAll("[^A-Za-z0-9_-]", "_");
  }
}
