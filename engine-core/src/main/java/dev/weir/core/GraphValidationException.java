package dev.weir.core;

import java.util.List;

/**
 * Thrown by {@link GraphBuilder#build()} and {@link SubgraphBuilder#build()} when the declared
 * structure cannot run. It lists every problem found, not just the first, and each problem names
 * the nodes, ports or edges involved and says how to fix it:
 *
 * <pre>
 * graph 'orders' is invalid (2 problems):
 *  - cannot connect numbers.out (java.lang.Long) to print.in (java.lang.String): ...
 *  - input 'audit.in' (Long) is not connected: ...
 * </pre>
 *
 * <p>Thread-safety: immutable.
 */
public final class GraphValidationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** An array rather than a list so that the exception stays serializable. */
  private final String[] problems;

  GraphValidationException(String subject, List<String> problems) {
    super(message(subject, problems));
    this.problems = problems.toArray(new String[0]);
  }

  /**
   * Returns the problems, in the order they were found.
   *
   * @return one message per problem, never empty
   */
  public List<String> problems() {
    return List.of(problems);
  }

  private static String message(String subject, List<String> problems) {
    StringBuilder text =
        new StringBuilder(subject)
            .append(" is invalid (")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem):" : " problems):");
    for (String problem : problems) {
      text.append("\n - ").append(problem);
    }
    return text.toString();
  }
}
