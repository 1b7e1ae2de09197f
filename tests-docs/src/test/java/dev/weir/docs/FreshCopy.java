package dev.weir.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A copy of the repository as a fresh clone has it, in which documented commands run verbatim.
 *
 * <p>The copy holds the files git tracks plus untracked files that are not ignored (so a page being
 * edited is checked as it stands): no {@code target/}, no {@code jacoco.exec}, nothing installed by
 * an earlier build of the copy. The commands run with the Maven of the enclosing build ({@code
 * maven.home} first on the {@code PATH}) and, through the copy's {@code .mvn/maven.config}, with
 * its local repository and offline mode, so they resolve what the enclosing build resolved and no
 * more. {@code CI} is removed from their environment so that no command runs this check again.
 *
 * <p>Thread-safety: not thread-safe; one test class runs its commands one at a time.
 */
final class FreshCopy {

  /** A hang guard, not a speed assertion: the slowest checked command takes about a minute. */
  private static final Duration HANG_GUARD = Duration.ofMinutes(20);

  private final Path dir;
  private final Path logs;
  private int runs;

  private FreshCopy(Path dir, Path logs) {
    this.dir = dir;
    this.logs = logs;
  }

  /** What a command did. */
  record Result(String command, int exitCode, String output, Path log, Duration took) {
    /** Returns the last lines of the output, for a failure message. */
    String tail(int lines) {
      List<String> all = output.lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
  }

  /**
   * Copies the repository at {@code root} into {@code dir} (emptied first).
   *
   * @param root the repository
   * @param dir where the copy goes; its sibling {@code docs-commands/} gets one log per command
   * @return the copy
   */
  static FreshCopy of(Path root, Path dir) throws IOException, InterruptedException {
    delete(dir);
    Files.createDirectories(dir);
    for (String file : files(root)) {
      Path from = root.resolve(file);
      if (Files.isRegularFile(from)) {
        Path to = dir.resolve(file);
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    mavenConfig(dir.resolve(".mvn/maven.config"));
    Path logs = dir.resolveSibling("docs-commands");
    delete(logs);
    Files.createDirectories(logs);
    return new FreshCopy(dir, logs);
  }

  Path dir() {
    return dir;
  }

  /** Runs one command line with {@code bash -c} in the copy's root and waits for it. */
  Result run(String command) throws IOException, InterruptedException {
    Path log = logs.resolve(String.format("%02d.log", ++runs));
    Files.writeString(log, "$ " + command + "\n");
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.remove("CI");
    env.remove("MAVEN_BASEDIR");
    env.remove("MAVEN_PROJECTBASEDIR");
    String mavenHome = System.getProperty("weir.maven.home", "");
    if (!mavenHome.isBlank()) {
      env.put("PATH", Path.of(mavenHome, "bin") + java.io.File.pathSeparator + env.get("PATH"));
    }
    long start = System.nanoTime();
    Process process = builder.start();
    process.getOutputStream().close();
    if (!process.waitFor(HANG_GUARD.toMinutes(), TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      Files.writeString(
          log,
          "\n[tests-docs] killed: no exit after " + HANG_GUARD + "\n",
          StandardOpenOption.APPEND);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    return new Result(
        command, process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), log, took);
  }

  /** The files of a fresh clone, plus untracked files git does not ignore. */
  private static List<String> files(Path root) throws IOException, InterruptedException {
    Process git =
        new ProcessBuilder(
                "git",
                "-C",
                root.toString(),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    git.getOutputStream().close();
    String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (git.waitFor() != 0) {
      throw new IllegalStateException(
          root + " is not a git work tree: the documented commands run on a copy of a clone");
    }
    List<String> files = new ArrayList<>();
    for (String file : listing.split("\0")) {
      if (!file.isEmpty()) {
        files.add(file);
      }
    }
    return files;
  }

  /** Points the copy's builds at this build's local repository and offline mode. */
  private static void mavenConfig(Path config) throws IOException {
    StringBuilder text = new StringBuilder();
    if (Files.exists(config)) {
      text.append(Files.readString(config)).append('\n');
    }
    String repository = System.getProperty("weir.maven.repo.local", "");
    if (!repository.isBlank()) {
      text.append("-Dmaven.repo.local=").append(repository).append('\n');
    }
    if (System.getProperty("weir.maven.offline", "").endsWith("=true")) {
      text.append("-o\n");
    }
    Files.createDirectories(config.getParent());
    Files.writeString(config, text);
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
