package dev.weir.testkit.internal;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads of the report map that {@code report.json} is written from, shared by the Markdown
 * and HTML renderings.
 *
 * <p>Thread-safety: stateless.
 */
final class ReportFields {

  private ReportFields() {}

  static String text(Map<String, Object> report, String key) {
    Object value = report.get(key);
    return value == null ? "" : String.valueOf(value);
  }

  static boolean passed(Map<String, Object> report) {
    return Boolean.TRUE.equals(report.get("passed"));
  }

  @SuppressWarnings("unchecked")
  static @Nullable Map<String, Object> map(Map<String, Object> report, String key) {
    return report.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  /** The first scenario: a run has one. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> scenario(Map<String, Object> report) {
    if (report.get("scenarios") instanceof List<?> list
        && !list.isEmpty()
        && list.get(0) instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    return Map.of();
  }

  /** Each checker's {verdict, detail}, by name, in the order the checks were added. */
  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> verdicts(Map<String, Object> report) {
    Map<String, Object> verdicts = map(scenario(report), "verdicts");
    return verdicts == null ? Map.of() : (Map<String, Map<String, Object>>) (Map<?, ?>) verdicts;
  }

  static List<Series> series(Map<String, Object> report) {
    if (report.get("series") instanceof List<?> list) {
      return list.stream().filter(Series.class::isInstance).map(Series.class::cast).toList();
    }
    return List.of();
  }

  static @Nullable String failure(Map<String, Object> report) {
    Object failure = scenario(report).get("failure");
    return failure == null ? null : failure.toString();
  }
}
