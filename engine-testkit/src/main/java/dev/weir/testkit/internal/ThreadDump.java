package dev.weir.testkit.internal;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * Thread dumps and deadlock detection from the platform {@link ThreadMXBean}, with full stacks and
 * the locks each frame holds ({@link ThreadInfo#toString()} cuts stacks at eight frames).
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class ThreadDump {

  private ThreadDump() {}

  /**
   * Returns every live thread's state, lock and full stack, threads sorted by name.
   *
   * @return the dump, one block per thread
   */
  public static String all() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ThreadInfo[] infos =
        threads.dumpAllThreads(
            threads.isObjectMonitorUsageSupported(), threads.isSynchronizerUsageSupported());
    Arrays.sort(infos, Comparator.comparing(ThreadInfo::getThreadName));
    StringBuilder sb = new StringBuilder();
    sb.append(infos.length).append(" live threads\n\n");
    for (ThreadInfo info : infos) {
      append(sb, info);
    }
    return sb.toString();
  }

  /**
   * Looks for threads deadlocked on monitors or ownable synchronizers ({@link
   * ThreadMXBean#findDeadlockedThreads()}).
   *
   * @return {@code null} if none; else a description naming each thread, the lock it waits for and
   *     that lock's owner, followed by their full stacks
   */
  public static @Nullable String deadlocks() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] ids =
        threads.isSynchronizerUsageSupported()
            ? threads.findDeadlockedThreads()
            : threads.findMonitorDeadlockedThreads();
    if (ids == null || ids.length == 0) {
      return null;
    }
    ThreadInfo[] infos =
        threads.getThreadInfo(
            ids, threads.isObjectMonitorUsageSupported(), threads.isSynchronizerUsageSupported());
    StringBuilder cycle = new StringBuilder();
    StringBuilder stacks = new StringBuilder();
    for (ThreadInfo info : infos) {
      if (info == null) {
        continue; // ended since: the deadlock cannot have, but the id may be stale
      }
      if (cycle.length() > 0) {
        cycle.append("; ");
      }
      cycle
          .append('\'')
          .append(info.getThreadName())
          .append("' waits for ")
          .append(info.getLockName())
          .append(" held by '")
          .append(info.getLockOwnerName())
          .append('\'');
      append(stacks, info);
    }
    return ids.length + " threads deadlocked: " + cycle + "\n\n" + stacks;
  }

  private static void append(StringBuilder sb, ThreadInfo info) {
    sb.append('"').append(info.getThreadName()).append("\" #").append(info.getThreadId());
    if (info.isDaemon()) {
      sb.append(" daemon");
    }
    sb.append(' ').append(info.getThreadState());
    LockInfo lock = info.getLockInfo();
    if (lock != null) {
      sb.append(" on ").append(lock);
      if (info.getLockOwnerName() != null) {
        sb.append(" owned by \"").append(info.getLockOwnerName()).append('"');
      }
    }
    sb.append('\n');
    StackTraceElement[] stack = info.getStackTrace();
    MonitorInfo[] monitors = info.getLockedMonitors();
    for (int depth = 0; depth < stack.length; depth++) {
      sb.append("    at ").append(stack[depth]).append('\n');
      for (MonitorInfo m : monitors) {
        if (m.getLockedStackDepth() == depth) {
          sb.append("    - locked ").append(m).append('\n');
        }
      }
    }
    LockInfo[] synchronizers = info.getLockedSynchronizers();
    if (synchronizers.length > 0) {
      sb.append("    owns synchronizers:");
      for (LockInfo s : synchronizers) {
        sb.append(' ').append(s);
      }
      sb.append('\n');
    }
    sb.append('\n');
  }
}
