package dev.weir.core;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code "node.port"} references against the elements of one builder, and explains every
 * reference it cannot resolve: malformed, unknown node, unknown port, or a port of the wrong
 * direction. A reference may only name elements of its own level; nodes inside a subgraph are
 * reached through the ports the subgraph exposes.
 *
 * <p>Thread-safety: not thread-safe; used by one {@link Assembly}.
 */
final class PortResolver {

  private final Map<String, Element> elements;
  private final List<String> problems;

  PortResolver(Map<String, Element> elements, List<String> problems) {
    this.elements = elements;
    this.problems = problems;
  }

  /**
   * Resolves a reference to the flat endpoint it stands for.
   *
   * @param ref what the user wrote, e.g. {@code "double.in"} or {@code "enrich.in"}
   * @param direction whether the call site needs an input or an output
   * @param context the call, e.g. {@code connect("a.out", "b.in")}, prefixed to any problem
   * @return the endpoint, or {@code null} after reporting why there is none
   */
  @Nullable Endpoint resolve(String ref, PortDirection direction, String context) {
    int dot = ref.indexOf('.');
    if (dot <= 0 || dot == ref.length() - 1 || ref.indexOf('.', dot + 1) >= 0) {
      problems.add(
          context
              + ": '"
              + ref
              + "' is not a port reference: write it as \"node.port\", e.g. \""
              + example(ref, direction)
              + "\"");
      return null;
    }
    String elementName = ref.substring(0, dot);
    String portName = ref.substring(dot + 1);
    Element element = elements.get(elementName);
    if (element == null) {
      problems.add(context + ": " + unknownNode(elementName));
      return null;
    }
    Endpoint endpoint = element.ports(direction).get(portName);
    if (endpoint != null) {
      return endpoint;
    }
    if (element.ports(direction.opposite()).containsKey(portName)) {
      problems.add(
          context
              + ": '"
              + ref
              + "' is an "
              + direction.opposite().word
              + ", but an "
              + direction.word
              + " is expected here; "
              + element.describePorts(direction));
    } else {
      problems.add(
          context
              + ": "
              + element.kind()
              + " '"
              + elementName
              + "' has no "
              + direction.word
              + " '"
              + portName
              + "'; "
              + element.describePorts(direction));
    }
    return null;
  }

  private String unknownNode(String name) {
    String known =
        elements.isEmpty()
            ? "none were added"
            : "known nodes are " + NameList.of(elements.keySet());
    if (name.indexOf('/') >= 0) {
      return "unknown node '"
          + name
          + "' ("
          + known
          + "): nodes inside a subgraph cannot be wired from outside; expose the port with"
          + " exposeInput(...) or exposeOutput(...) and use \"subgraph.port\"";
    }
    return "unknown node '"
        + name
        + "' ("
        + known
        + "): add it with add(\""
        + name
        + "\", ...) or fix the name";
  }

  /** Suggests a well-formed reference, using the element's first port when the user named one. */
  private String example(String ref, PortDirection direction) {
    Element element = elements.get(ref);
    if (element != null && !element.ports(direction).isEmpty()) {
      return ref + "." + element.ports(direction).keySet().iterator().next();
    }
    return "node." + (direction == PortDirection.INPUT ? Nodes.IN : Nodes.OUT);
  }
}
