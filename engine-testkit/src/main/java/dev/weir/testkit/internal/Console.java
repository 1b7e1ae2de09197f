package dev.weir.testkit.internal;

/** Where the toolkit prints when the user gave no sink of their own: standard error. */
public final class Console {

  private Console() {}

  /**
   * Prints one line on standard error, which build tools show for a test as it runs (a logger may
   * be switched off, and the seed line must never be lost).
   */
  @SuppressForbidden
  public static void err(String line) {
    System.err.println(line);
  }
}
