package dev.weir.docs;

import java.nio.file.Path;

/** Where the repository under test is: {@code -Dweir.root} (set by the pom), else the parent. */
final class Repository {

  private Repository() {}

  static Path root() {
    String root = System.getProperty("weir.root", "");
    return (root.isBlank() ? Path.of("..") : Path.of(root)).toAbsolutePath().normalize();
  }
}
