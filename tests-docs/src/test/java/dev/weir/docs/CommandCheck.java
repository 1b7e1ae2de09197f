package dev.weir.docs;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds what a documented command names that does not exist: a module, a test class or method, a
 * profile, a script or the module of a jar.
 *
 * <p>Thread-safety: stateless.
 */
final class CommandCheck {

  private CommandCheck() {}

  /** Returns one message per problem, each starting with the command's place; empty if none. */
  static List<String> problems(DocCommand command, Sources sources) {
    List<String> problems = new ArrayList<>();
    List<String> words = Shell.words(command.text());
    if (words.isEmpty()) {
      return problems;
    }
    Optional<MavenCommand> maven = MavenCommand.parse(command.text());
    if (maven.isPresent()) {
      maven(command, maven.get(), sources, problems);
    }
    if (words.get(0).equals("java") && words.size() > 2 && words.get(1).equals("-jar")) {
      String module = words.get(2).split("/")[0];
      if (!sources.modules().contains(module)) {
        problems.add(command.where() + ": " + words.get(2) + " is built by no module " + module);
      } else if (!builds(sources, module, words.get(2))) {
        problems.add(
            command.where()
                + ": "
                + words.get(2)
                + ": "
                + module
                + "/pom.xml builds no jar of that name (its shade outputFile or finalName)");
      }
    }
    String script = words.get(0).equals("bash") && words.size() > 1 ? words.get(1) : words.get(0);
    if (script.contains("/") && !Files.isRegularFile(sources.root().resolve(script))) {
      problems.add(command.where() + ": no script " + script + " in the repository");
    }
    return problems;
  }

  /** Whether the module's pom names the jar's file (without {@code .jar}), e.g. in finalName. */
  private static boolean builds(Sources sources, String module, String jar) {
    String file = jar.substring(jar.lastIndexOf('/') + 1);
    String base = file.endsWith(".jar") ? file.substring(0, file.length() - 4) : file;
    try {
      String pom = Files.readString(sources.root().resolve(module).resolve("pom.xml"));
      return pom.contains(">" + base + "<") || pom.contains("/" + file + "<");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void maven(
      DocCommand command, MavenCommand maven, Sources sources, List<String> problems) {
    for (String module : maven.modules()) {
      if (!module.contains("<") && !sources.modules().contains(module)) {
        problems.add(
            command.where()
                + ": -pl "
                + module
                + " is no module; the modules: "
                + sources.modules());
      }
    }
    List<String> scope = maven.modules().isEmpty() ? sources.modules() : maven.modules();
    for (String test : maven.tests()) {
      test(command, test.startsWith("!") ? test.substring(1) : test, scope, sources, problems);
    }
    for (String profile : maven.profiles()) {
      if (!sources.hasProfile(profile)) {
        problems.add(command.where() + ": -P" + profile + " is in no pom.xml");
      }
    }
  }

  private static void test(
      DocCommand command, String test, List<String> scope, Sources sources, List<String> problems) {
    String[] parts = test.split("#", 2);
    String type = parts[0].replaceAll(".*[./]", "");
    String topLevel = type.split("\\$")[0];
    if (topLevel.isEmpty()) {
      return;
    }
    if (isGlob(topLevel)) {
      Pattern glob = glob(topLevel);
      if (sources.testClasses(scope).stream().noneMatch(c -> glob.matcher(c).matches())) {
        problems.add(command.where() + ": -Dtest=" + test + " matches no test class in " + scope);
      }
      return;
    }
    Optional<String> source = sources.testSource(scope, topLevel);
    if (source.isEmpty()) {
      problems.add(
          command.where()
              + ": -Dtest="
              + test
              + " names no test class of "
              + scope
              + " (they are the classes under src/test/java of the -pl modules)");
      return;
    }
    if (parts.length == 2) {
      for (String method : parts[1].split("\\+")) {
        if (!isGlob(method) && !Sources.declaresMethod(source.get(), method)) {
          problems.add(
              command.where() + ": -Dtest=" + test + ": " + topLevel + " has no method " + method);
        }
      }
    }
  }

  private static boolean isGlob(String pattern) {
    return pattern.contains("*") || pattern.contains("?");
  }

  private static Pattern glob(String pattern) {
    return Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"));
  }
}
