package dev.weir.testkit.junit;

import dev.weir.scheduler.RunningGraph;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * What {@link WeirTestExtension} writes when the test that holds it fails: its seed, the replay
 * command, the failure, a snapshot of each graph the test {@linkplain #watch watched} (taken before
 * any {@code @AfterEach} method runs, so a graph stopped in teardown is still running), and the
 * texts the test {@linkplain #attach attached}. Declare a {@code FailureArtifacts} parameter on a
 * test method (or on a {@code @BeforeEach} method, which sees the same instance) of a {@link
 * WeirTest} class.
 *
 * <p>Thread-safety: thread-safe; a test may watch graphs and attach texts from any thread.
 */
public final class FailureArtifacts {

  /** File names the extension writes itself; an attachment may not take them. */
  static final Set<String> RESERVED =
      Set.of("seed.txt", "replay.txt", "failure.txt", "snapshot.txt");

  private final Seed seed;
  private final List<RunningGraph> graphs = new CopyOnWriteArrayList<>();
  private final Map<String, Supplier<String>> attachments = new LinkedHashMap<>();

  FailureArtifacts(Seed seed) {
    this.seed = seed;
  }

  /**
   * Returns the test's seed, the one a {@code long} or {@link Seed} parameter of the same test
   * gets.
   *
   * @return the seed
   */
  public Seed seed() {
    return seed;
  }

  /**
   * Watches a running graph: if the test fails, the failure folder's {@code snapshot.txt} holds its
   * {@link RunningGraph#snapshot()} taken when the failure was caught; after the test (and its
   * {@code @AfterEach} methods) the extension stops it if it is still running.
   *
   * @param graph the running graph
   * @return {@code graph}, to watch it where it starts: {@code watch(scheduler.start(graph))}
   * @throws NullPointerException if {@code graph} is null
   */
  public RunningGraph watch(RunningGraph graph) {
    graphs.add(Objects.requireNonNull(graph, "graph"));
    return graph;
  }

  /**
   * Attaches a text to the failure folder, computed only if the test fails (e.g. the last log
   * lines); attaching the same name again replaces the text.
   *
   * @param fileName the file's name in the folder, e.g. {@code log.txt}: a plain name, none of
   *     {@code seed.txt}, {@code replay.txt}, {@code failure.txt}, {@code snapshot.txt}
   * @param content computes the file's content
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code fileName} is blank, has a path separator or is
   *     reserved
   */
  public void attach(String fileName, Supplier<String> content) {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(content, "content");
    if (fileName.isBlank()
        || fileName.contains("/")
        || fileName.contains("\\")
        || fileName.startsWith(".")
        || RESERVED.contains(fileName)) {
      throw new IllegalArgumentException(
          "attachment name '" + fileName + "' must be a plain file name, none of " + RESERVED);
    }
    synchronized (attachments) {
      attachments.put(fileName, content);
    }
  }

  /** Returns the watched graphs, in the order they were watched. */
  List<RunningGraph> graphs() {
    return List.copyOf(graphs);
  }

  /**
   * Writes the folder. A snapshot or attachment that throws writes the exception in its place
   * rather than losing the rest.
   */
  Path writeTo(Path dir, String command, String note, String test, Throwable failure)
      throws IOException {
    Files.createDirectories(dir);
    write(dir, "seed.txt", seed.value() + "\n");
    write(dir, "replay.txt", command + "\n" + (note.isEmpty() ? "" : "# " + note + "\n"));
    write(dir, "failure.txt", test + "\n\n" + stackTrace(failure));
    List<RunningGraph> watched = graphs();
    if (!watched.isEmpty()) {
      StringBuilder snapshots = new StringBuilder();
      for (RunningGraph graph : watched) {
        snapshots.append(snapshot(graph)).append('\n');
      }
      write(dir, "snapshot.txt", snapshots.toString());
    }
    Map<String, Supplier<String>> attached;
    synchronized (attachments) {
      attached = new LinkedHashMap<>(attachments);
    }
    for (Map.Entry<String, Supplier<String>> file : attached.entrySet()) {
      String text;
      try {
        text = String.valueOf(file.getValue().get());
      } catch (RuntimeException e) {
        text = "the attachment threw:\n" + stackTrace(e);
      }
      write(dir, file.getKey(), text);
    }
    return dir;
  }

  private static String snapshot(RunningGraph graph) {
    String header =
        "graph '"
            + graph.name()
            + "' ("
            + (graph.isRunning() ? "running" : "stopped")
            + ") when the failure was caught:\n";
    try {
      return header + graph.snapshot().render();
    } catch (RuntimeException e) {
      return header + "snapshot() threw:\n" + stackTrace(e);
    }
  }

  private static void write(Path dir, String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  static String stackTrace(Throwable failure) {
    StringWriter out = new StringWriter();
    try (PrintWriter printer = new PrintWriter(out)) {
      failure.printStackTrace(printer);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    for (RunningGraph graph : graphs) {
      names.add(graph.name());
    }
    return "FailureArtifacts[" + seed + ", graphs=" + names + ']';
  }
}
