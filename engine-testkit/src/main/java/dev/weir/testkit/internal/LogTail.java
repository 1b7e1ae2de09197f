package dev.weir.testkit.internal;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps the last lines a process wrote to standard output and standard error while it is open, by
 * replacing {@code System.out} and {@code System.err} with streams that pass every byte through to
 * the originals and also split it into lines. Whatever SLF4J binding the application chose, its
 * console appender writes there: Logback's {@code ConsoleAppender} and slf4j-simple (by default)
 * look the stream up on every write, so the engine's WARN and ERROR lines are kept without the
 * toolkit choosing a binding. A logger that writes only to a file is not seen.
 *
 * <p>Thread-safety: safe from any thread. Several tails may be open at once (they share one pair of
 * streams, installed while any is open); each keeps its own last lines. Closing the last one puts
 * the original streams back, unless someone replaced them meanwhile.
 */
@SuppressForbidden // it replaces System.out and System.err, which is its purpose
public final class LogTail implements AutoCloseable {

  private static final Object LOCK = new Object();
  private static final List<LogTail> OPEN = new ArrayList<>();
  private static PrintStream originalOut = System.out;
  private static PrintStream originalErr = System.err;
  private static PrintStream teeOut = System.out;
  private static PrintStream teeErr = System.err;

  private final int capacity;
  private final ArrayDeque<String> lines;
  private long seen;

  private LogTail(int capacity) {
    this.capacity = capacity;
    this.lines = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  /**
   * Starts keeping the last {@code capacity} lines written to standard output and error.
   *
   * @param capacity how many lines to keep; positive
   * @return the open tail; close it to stop
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  public static LogTail start(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a log tail keeps at least one line, was " + capacity);
    }
    LogTail tail = new LogTail(capacity);
    synchronized (LOCK) {
      if (OPEN.isEmpty()) {
        originalOut = System.out;
        originalErr = System.err;
        Charset charset = Charset.defaultCharset();
        teeOut = new PrintStream(new Tee(originalOut, charset), true, charset);
        teeErr = new PrintStream(new Tee(originalErr, charset), true, charset);
        System.setOut(teeOut);
        System.setErr(teeErr);
      }
      OPEN.add(tail);
    }
    return tail;
  }

  /**
   * Returns the lines kept, oldest first (a line still being written is not included).
   *
   * @return a copy
   */
  public List<String> lines() {
    synchronized (LOCK) {
      return List.copyOf(lines);
    }
  }

  /**
   * Renders the kept lines for a failure folder, with a header saying how many were cut off.
   *
   * @return the text
   */
  public String render() {
    synchronized (LOCK) {
      StringBuilder sb = new StringBuilder();
      long dropped = seen - lines.size();
      sb.append("# the last ")
          .append(lines.size())
          .append(" of ")
          .append(seen)
          .append(" lines written to standard output and standard error during the run");
      if (dropped > 0) {
        sb.append(" (").append(dropped).append(" earlier lines not kept)");
      }
      sb.append('\n');
      for (String line : lines) {
        sb.append(line).append('\n');
      }
      return sb.toString();
    }
  }

  /** Stops keeping lines; idempotent. The last tail to close restores the original streams. */
  @Override
  public void close() {
    synchronized (LOCK) {
      if (!OPEN.remove(this) || !OPEN.isEmpty()) {
        return;
      }
      // No flush here: a writer holds its PrintStream's lock while it waits for LOCK in dispatch.
      if (System.out == teeOut) {
        System.setOut(originalOut);
      }
      if (System.err == teeErr) {
        System.setErr(originalErr);
      }
    }
  }

  private void keep(String line) {
    seen++;
    if (lines.size() == capacity) {
      lines.removeFirst();
    }
    lines.addLast(line);
  }

  private static void dispatch(String line) {
    synchronized (LOCK) {
      for (LogTail tail : OPEN) {
        tail.keep(line);
      }
    }
  }

  /** Passes bytes through and cuts them into lines; PrintStream serializes its writers. */
  private static final class Tee extends OutputStream {
    private final PrintStream target;
    private final Charset charset;
    private byte[] line = new byte[256];
    private int length;

    Tee(PrintStream target, Charset charset) {
      this.target = target;
      this.charset = charset;
    }

    @Override
    public void write(int b) {
      target.write(b);
      collect((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int count) {
      target.write(bytes, offset, count);
      for (int i = offset; i < offset + count; i++) {
        collect(bytes[i]);
      }
    }

    @Override
    public void flush() {
      target.flush();
    }

    private void collect(byte b) {
      if (b == '\n') {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        dispatch(new String(line, 0, end, charset));
        length = 0;
        return;
      }
      if (length == line.length) {
        if (length >= 64 * 1024) {
          return; // a line this long is cut: the tail keeps its first 64 KiB
        }
        line = Arrays.copyOf(line, length * 2);
      }
      line[length++] = b;
    }
  }
}
