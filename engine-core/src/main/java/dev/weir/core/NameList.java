package dev.weir.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Lists names in a problem message, bounded so that a typo in a thousand-node graph still gives a
 * readable message: {@code [a, b, c]}, or {@code [a, b, ... and 980 more]}.
 *
 * <p>Thread-safety: stateless.
 */
final class NameList {

  /** How many names a message shows before summarizing the rest. */
  static final int SHOWN = 20;

  private NameList() {}

  static String of(Collection<String> names) {
    if (names.size() <= SHOWN) {
      return names.toString();
    }
    List<String> shown = new ArrayList<>(SHOWN);
    for (String name : names) {
      if (shown.size() == SHOWN) {
        break;
      }
      shown.add(name);
    }
    String head = shown.toString();
    return head.substring(0, head.length() - 1) + ", ... and " + (names.size() - SHOWN) + " more]";
  }
}
