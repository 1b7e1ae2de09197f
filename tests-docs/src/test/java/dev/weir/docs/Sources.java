package dev.weir.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a documented command may name, read from the repository's files: the modules of the root
 * pom, each module's test classes (the {@code .java} files under {@code src/test/java}) and the
 * profiles of every pom.
 *
 * <p>Thread-safety: immutable after construction.
 */
final class Sources {

  private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");
  private static final Pattern PROFILE =
      Pattern.compile("<profile>\\s*<id>\\s*([^<\\s]+)\\s*</id>");

  private final Path root;
  private final List<String> modules;
  private final Map<String, Map<String, Path>> testClasses = new LinkedHashMap<>();
  private final Set<String> profiles = new TreeSet<>();

  Sources(Path root) {
    this.root = root;
    String rootPom = read(root.resolve("pom.xml"));
    this.modules = all(MODULE, rootPom);
    profiles.addAll(all(PROFILE, rootPom));
    for (String module : modules) {
      Path dir = root.resolve(module);
      profiles.addAll(all(PROFILE, read(dir.resolve("pom.xml"))));
      Map<String, Path> classes = new LinkedHashMap<>();
      Path tests = dir.resolve("src/test/java");
      if (Files.isDirectory(tests)) {
        try (Stream<Path> files = Files.walk(tests)) {
          files
              .filter(f -> f.toString().endsWith(".java"))
              .forEach(f -> classes.put(f.getFileName().toString().replace(".java", ""), f));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      testClasses.put(module, classes);
    }
  }

  Path root() {
    return root;
  }

  List<String> modules() {
    return modules;
  }

  boolean hasProfile(String id) {
    return profiles.contains(id);
  }

  /** Returns the test classes of the modules, by simple name. */
  List<String> testClasses(List<String> inModules) {
    List<String> names = new ArrayList<>();
    for (String module : inModules) {
      names.addAll(testClasses.getOrDefault(module, Map.of()).keySet());
    }
    return names;
  }

  /** Returns the source of a top-level test class in one of the modules. */
  Optional<String> testSource(List<String> inModules, String simpleName) {
    for (String module : inModules) {
      Path file = testClasses.getOrDefault(module, Map.of()).get(simpleName);
      if (file != null) {
        return Optional.of(read(file));
      }
    }
    return Optional.empty();
  }

  /** Returns whether a class source declares a method of that name. */
  static boolean declaresMethod(String source, String method) {
    return Pattern.compile(
            "(?m)^\\s*(?:@[\\w.]+(?:\\([^)]*\\))?\\s+)*(?:(?:public|protected|private|static|final"
                + "|synchronized)\\s+)*[\\w<>\\[\\],.? ]+\\s+"
                + Pattern.quote(method)
                + "\\s*\\(")
        .matcher(source)
        .find();
  }

  private static List<String> all(Pattern pattern, String text) {
    List<String> found = new ArrayList<>();
    Matcher m = pattern.matcher(text.replaceAll("(?s)<!--.*?-->", ""));
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
