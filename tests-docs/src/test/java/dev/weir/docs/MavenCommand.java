package dev.weir.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of an {@code mvn} command line that can name something that does not exist: the modules
 * of {@code -pl}, the tests of {@code -Dtest} and the profiles of {@code -P}.
 *
 * @param modules the {@code -pl} modules (a leading {@code :} removed), empty for the whole build
 * @param alsoMake whether {@code -am} builds the modules they depend on
 * @param tests the {@code -Dtest} patterns, split at commas
 * @param profiles the {@code -P} profiles (a leading {@code !} removed)
 * @param goals the phases and goals
 */
record MavenCommand(
    List<String> modules,
    boolean alsoMake,
    List<String> tests,
    List<String> profiles,
    List<String> goals) {

  /** Returns the first {@code mvn} invocation of a command line, if it has one. */
  static Optional<MavenCommand> parse(String commandLine) {
    List<String> words = Shell.words(commandLine);
    int start = words.indexOf("mvn");
    if (start < 0) {
      return Optional.empty();
    }
    List<String> modules = new ArrayList<>();
    List<String> tests = new ArrayList<>();
    List<String> profiles = new ArrayList<>();
    List<String> goals = new ArrayList<>();
    boolean alsoMake = false;
    for (int i = start + 1; i < words.size(); i++) {
      String word = words.get(i);
      if (Shell.OPERATORS.contains(word)) {
        break;
      }
      if (word.equals("-pl") || word.equals("--projects")) {
        for (String module : next(words, ++i).split(",")) {
          modules.add(module.startsWith(":") ? module.substring(1) : module);
        }
      } else if (word.equals("-am") || word.equals("--also-make")) {
        alsoMake = true;
      } else if (word.startsWith("-Dtest=")) {
        for (String test : word.substring("-Dtest=".length()).split(",")) {
          tests.add(test.strip());
        }
      } else if (word.equals("-P") || word.equals("--activate-profiles")) {
        addProfiles(profiles, next(words, ++i));
      } else if (word.startsWith("-P")) {
        addProfiles(profiles, word.substring(2));
      } else if (!word.startsWith("-")) {
        goals.add(word);
      }
    }
    return Optional.of(new MavenCommand(modules, alsoMake, tests, profiles, goals));
  }

  private static String next(List<String> words, int i) {
    return i < words.size() ? words.get(i) : "";
  }

  private static void addProfiles(List<String> profiles, String list) {
    for (String profile : list.split(",")) {
      profiles.add(
          profile.startsWith("!") || profile.startsWith("-") ? profile.substring(1) : profile);
    }
  }
}
