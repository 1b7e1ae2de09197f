package dev.weir.docs;

import java.util.List;

/**
 * One command found in a Markdown page.
 *
 * @param file the page, relative to the repository root ({@code README.md}, {@code
 *     docs/testing.md})
 * @param line the 1-based line the command starts on
 * @param text the command as a shell would read it (continuation lines joined)
 * @param verbatimChecked whether its fence is marked {@code verbatim-checked}: CI runs it
 * @param sameAsCi whether its fence is marked {@code same-as-ci}: it must be what {@code .ci/run}
 *     runs
 * @param prints the texts its output must contain, from {@code # prints: ...} lines under it
 */
record DocCommand(
    String file,
    int line,
    String text,
    boolean verbatimChecked,
    boolean sameAsCi,
    List<String> prints) {

  DocCommand {
    prints = List.copyOf(prints);
  }

  /** Returns {@code file:line}, the place an error message points to. */
  String where() {
    return file + ":" + line;
  }

  DocCommand withPrint(String expected) {
    List<String> more = new java.util.ArrayList<>(prints);
    more.add(expected);
    return new DocCommand(file, line, text, verbatimChecked, sameAsCi, more);
  }

  @Override
  public String toString() {
    return where() + ": " + text;
  }
}
