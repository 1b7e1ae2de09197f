package dev.weir.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits a command line into words as a POSIX shell would, for quoting (no expansions). */
final class Shell {

  /** Words that end one command of a line: what follows is another command or a redirection. */
  static final Set<String> OPERATORS = Set.of("&&", "||", ";", "|", ">", ">>", "2>&1", "&");

  private Shell() {}

  /**
   * Returns the words of a command line: quotes removed, a {@code #} that starts a word ends the
   * line.
   */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if (c == '#' && !inWord) {
        break;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
