package dev.weir.testkit;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two daemon threads, {@code PREFIX-1} and {@code PREFIX-2}, that take two locks in opposite orders
 * and deadlock, each holding one; {@link #close} interrupts them (they wait interruptibly) and
 * waits for them to end.
 */
final class PlantedDeadlock implements AutoCloseable {

  private final ReentrantLock first = new ReentrantLock();
  private final ReentrantLock second = new ReentrantLock();
  private final List<Thread> threads;

  private PlantedDeadlock(String prefix) {
    CountDownLatch both = new CountDownLatch(2);
    Thread a = new Thread(() -> lockBoth(first, second, both), prefix + "-1");
    Thread b = new Thread(() -> lockBoth(second, first, both), prefix + "-2");
    a.setDaemon(true);
    b.setDaemon(true);
    threads = List.of(a, b);
    a.start();
    b.start();
  }

  static PlantedDeadlock start(String prefix) {
    return new PlantedDeadlock(prefix);
  }

  /** Whether both threads wait for the lock the other holds. */
  boolean deadlocked() {
    return first.hasQueuedThreads() && second.hasQueuedThreads();
  }

  @Override
  public void close() {
    for (Thread t : threads) {
      t.interrupt();
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void lockBoth(ReentrantLock mine, ReentrantLock theirs, CountDownLatch both) {
    try {
      mine.lockInterruptibly();
      try {
        both.countDown();
        both.await();
        theirs.lockInterruptibly();
        theirs.unlock();
      } finally {
        mine.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close() ends the deadlock this way
    }
  }
}
