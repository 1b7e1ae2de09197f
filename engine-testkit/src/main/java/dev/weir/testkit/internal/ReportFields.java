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
public final class ReportFields {

  private ReportFields() {}

  /**
   * A field as text.
   *
   * @param report a report map
   * @param key the field
   * @return its value's text, empty when absent
   */
  public static String text(Map<String, Object> report, String key) {
    Object value = report.get(key);
    return value == null ? "" : String.valueOf(value);
  }

  /**
   * Whether the map says {@code passed: true}.
   *
   * @param report a report (or scenario) map
   * @return whether it passed
   */
  public static boolean passed(Map<String, Object> report) {
    return Boolean.TRUE.equals(report.get("passed"));
  }

  /**
   * A nested map.
   *
   * @param report a report map
   * @param key the field
   * @return the map, or null when absent or not a map
   */
  @SuppressWarnings("unchecked")
  public static @Nullable Map<String, Object> map(Map<String, Object> report, String key) {
    return report.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  /**
   * The first scenario: a run has one.
   *
   * @param report a run's report map
   * @return the scenario, or an empty map
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> scenario(Map<String, Object> report) {
    if (report.get("scenarios") instanceof List<?> list
        && !list.isEmpty()
        && list.get(0) instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    return Map.of();
  }

  /**
   * Each checker's {verdict, detail}, by name, in the order the checks were added.
   *
   * @param report a run's report map
   * @return the verdicts
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Map<String, Object>> verdicts(Map<String, Object> report) {
    Map<String, Object> verdicts = map(scenario(report), "verdicts");
    return verdicts == null ? Map.of() : (Map<String, Map<String, Object>>) (Map<?, ?>) verdicts;
  }

  /**
   * The run's series.
   *
   * @param report a run's report map
   * @return the series, in order
   */
  public static List<Series> series(Map<String, Object> report) {
    if (report.get("series") instanceof List<?> list) {
      return list.stream().filter(Series.class::isInstance).map(Series.class::cast).toList();
    }
    return List.of();
  }

  /**
   * The first scenario's failure.
   *
   * @param report a run's report map
   * @return the failure, or null
   */
  public static @Nullable String failure(Map<String, Object> report) {
    Object failure = scenario(report).get("failure");
    return failure == null ? null : failure.toString();
  }
}
