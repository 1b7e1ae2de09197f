package dev.weir.testkit.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes a run's folder: {@code report.json} and the plain-text artifacts next to it. */
public final class Artifacts {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Artifacts() {}

  /**
   * Writes {@code report.json} and the given text files into {@code dir}, creating it.
   *
   * @param dir the run's folder
   * @param report the report's fields, in order: maps, lists, strings, numbers, booleans, nulls
   * @param files file name to content
   * @throws UncheckedIOException if the folder cannot be written
   */
  public static void write(Path dir, Map<String, Object> report, Map<String, String> files) {
    try {
      Files.createDirectories(dir);
      JSON.writeValue(dir.resolve("report.json").toFile(), report);
      for (Map.Entry<String, String> file : files.entrySet()) {
        Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the stress artifacts to " + dir, e);
    }
  }

  /** Reads a {@code report.json} back into maps and lists (for tests and tools). */
  public static Map<String, Object> read(Path reportJson) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = JSON.readValue(reportJson.toFile(), Map.class);
      return map;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + reportJson, e);
    }
  }
}
