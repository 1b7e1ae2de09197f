package dev.weir.testkit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The git revision of the working directory ({@code git rev-parse HEAD}), or {@code "unknown"} when
 * git is missing, the directory is not in a repository, or git does not answer within 5 s.
 *
 * <p>Thread-safety: safe from any thread; the first answer is cached for the process.
 */
public final class GitRevision {

  /** What a failure folder says when the revision cannot be found. */
  public static final String UNKNOWN = "unknown";

  private static volatile @Nullable String cached;

  private GitRevision() {}

  /**
   * Returns the revision, asking git once per process.
   *
   * @return 40 hex digits, with {@code -dirty} appended when tracked files have changes, or {@link
   *     #UNKNOWN}
   */
  public static String current() {
    String known = cached;
    if (known == null) {
      known = ask();
      cached = known;
    }
    return known;
  }

  private static String ask() {
    String head = run("git", "rev-parse", "HEAD");
    if (head == null || !head.matches("[0-9a-f]{40}")) {
      return UNKNOWN;
    }
    String changes = run("git", "status", "--porcelain", "--untracked-files=no");
    return changes == null || changes.isEmpty() ? head : head + "-dirty";
  }

  private static @Nullable String run(String... command) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException noGit) {
      return null;
    }
    try {
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readNBytes(64 * 1024);
      if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0) {
        return null;
      }
      return new String(out, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      process.destroy();
    }
  }
}
