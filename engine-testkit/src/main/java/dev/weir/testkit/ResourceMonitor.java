package dev.weir.testkit;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanServer;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.jspecify.annotations.Nullable;

/**
 * Samples the process's resources at a steady interval: heap after GC, used heap, GC count and
 * time, live threads, process CPU time, open file descriptors and heap allocated so far (whose
 * difference between samples is the allocation rate). Heap after GC comes from the garbage
 * collectors' own notifications (the sum over heap pools of their usage right after each
 * collection), never from {@code totalMemory - freeMemory}, which mostly measures garbage not yet
 * collected. Process CPU and file descriptors are read as attributes of the JVM's operating-system
 * MBean, so they are reported on JVMs that expose them ({@code -1} elsewhere) without depending on
 * {@code com.sun.management} types.
 *
 * <p>Allocation is counted from the same notifications (used heap before each collection minus used
 * heap after the previous one, plus the growth since the last one), not from {@code
 * com.sun.management.ThreadMXBean.getThreadAllocatedBytes}: that one counts per live thread, so
 * what a thread allocated drops out of any sum once the thread ends (actors, pool threads, the
 * graph's own workers after a reset) and the sum can go down; it also needs {@code
 * com.sun.management} types. The collectors' accounting sees every thread's allocations; its
 * resolution is the sampling interval, and between collections it reads used heap.
 *
 * <pre>{@code
 * try (ResourceMonitor monitor = ResourceMonitor.start(Duration.ofSeconds(1))) {
 *   runWorkload();
 *   CheckResult leak = LeakDetector.of(1 << 20, Duration.ofSeconds(30)).check(monitor.samples());
 * }
 * }</pre>
 *
 * <p>Thread-safety: safe from any thread. Samples are appended under the monitor's lock by its
 * sampling thread (and by {@link #sample}); {@link #samples} returns a copy. Heap after GC is
 * published by the JVM's notification thread through an atomic.
 */
public final class ResourceMonitor implements AutoCloseable {

  private static final String GC_NOTIFICATION = "com.sun.management.gc.notification";

  private final long startNanos = System.nanoTime();
  private final Set<String> heapPools = new HashSet<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onGc;
  private final AtomicLong heapAfterGc = new AtomicLong(-1);
  private final AtomicLong collectionsSeen = new AtomicLong();
  private final List<ResourceSample> samples = new ArrayList<>();

  /*
   * Allocation accounting, under `allocation`'s lock (the notification thread and samplers): every
   * byte allocated on the heap makes used heap grow until a collection, so what was allocated is
   * the growth from each collection's end (or the monitor's start) to the next one's start, plus
   * the growth since the last one. Objects promoted or copied by a collection are in both the
   * "after" and the next "before", so they do not count twice.
   */
  private final Object allocation = new Object();
  private long allocatedBeforeLastGc;
  private long usedAfterLastGc = heapUsedNow();
  private long allocatedReported;
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final @Nullable ObjectName os;
  private final @Nullable ScheduledExecutorService sampler;

  private ResourceMonitor(@Nullable Duration interval) {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
    this.os = operatingSystemName();
    if (interval == null) {
      this.sampler = null;
    } else {
      ScheduledExecutorService executor =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "weir-resource-monitor");
                t.setDaemon(true);
                return t;
              });
      long nanos = interval.toNanos();
      ScheduledFuture<?> unused =
          executor.scheduleAtFixedRate(this::sample, nanos, nanos, TimeUnit.NANOSECONDS);
      this.sampler = executor;
    }
  }

  /**
   * Starts a monitor that samples every {@code interval} on a daemon thread of its own.
   *
   * @param interval the sampling interval
   * @return the running monitor; close it to stop sampling
   * @throws IllegalArgumentException if the interval is not positive
   */
  public static ResourceMonitor start(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("sampling interval must be positive, was " + interval);
    }
    return new ResourceMonitor(interval);
  }

  /**
   * Returns a monitor that samples only when {@link #sample} is called, e.g. at chosen points of a
   * test.
   *
   * @return the monitor; close it to stop listening to collections
   */
  public static ResourceMonitor manual() {
    return new ResourceMonitor(null);
  }

  /**
   * Takes a sample now and appends it to {@link #samples}.
   *
   * @return the sample
   */
  public ResourceSample sample() {
    long gcCount = 0;
    long gcTime = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcTime += Math.max(0, gc.getCollectionTime());
    }
    long used = heapUsedNow();
    long allocated;
    synchronized (allocation) {
      // max: a collection whose notification has not arrived yet shrank `used` below the last
      // after-GC reading; the count must not go backwards.
      allocated =
          Math.max(allocatedReported, allocatedBeforeLastGc + Math.max(0, used - usedAfterLastGc));
      allocatedReported = allocated;
    }
    ResourceSample sample =
        new ResourceSample(
            System.nanoTime() - startNanos,
            heapAfterGc.get(),
            used,
            gcCount,
            gcTime,
            ManagementFactory.getThreadMXBean().getThreadCount(),
            osAttribute("ProcessCpuTime"),
            osAttribute("OpenFileDescriptorCount"),
            allocated);
    synchronized (samples) {
      samples.add(sample);
    }
    return sample;
  }

  /**
   * Returns the samples taken so far.
   *
   * @return a copy, oldest first
   */
  public List<ResourceSample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /**
   * Returns how many garbage collections this monitor has been told about; a test that forces a
   * collection waits for this to grow before sampling, since notifications arrive asynchronously.
   *
   * @return the number of GC notifications received
   */
  public long collectionsSeen() {
    return collectionsSeen.get();
  }

  /** Stops sampling and listening to collections; idempotent. */
  @Override
  public void close() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException alreadyRemoved) {
        // close() ran before: nothing to undo
      }
    }
    emitters.clear();
  }

  /** Runs on the JVM's notification thread after each collection. */
  private void onGc(Notification notification, @Nullable Object handback) {
    if (!GC_NOTIFICATION.equals(notification.getType())
        || !(notification.getUserData() instanceof CompositeData info)
        || !(info.get("gcInfo") instanceof CompositeData gcInfo)
        || !(gcInfo.get("memoryUsageAfterGc") instanceof TabularData after)) {
      return;
    }
    long sum = heapSum(after);
    if (gcInfo.get("memoryUsageBeforeGc") instanceof TabularData before) {
      long usedBefore = heapSum(before);
      synchronized (allocation) {
        allocatedBeforeLastGc += Math.max(0, usedBefore - usedAfterLastGc);
        usedAfterLastGc = sum;
      }
    }
    heapAfterGc.set(sum);
    collectionsSeen.incrementAndGet();
  }

  /** The sum over heap pools of a GC notification's per-pool usage table. */
  private long heapSum(TabularData usages) {
    long sum = 0;
    for (Object row : usages.values()) {
      if (row instanceof CompositeData entry
          && heapPools.contains(String.valueOf(entry.get("key")))
          && entry.get("value") instanceof CompositeData usage) {
        sum += MemoryUsage.from(usage).getUsed();
      }
    }
    return sum;
  }

  private static long heapUsedNow() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private long osAttribute(String attribute) {
    if (os == null) {
      return -1;
    }
    try {
      return server.getAttribute(os, attribute) instanceof Number n ? n.longValue() : -1;
    } catch (JMException notOnThisJvm) {
      return -1;
    }
  }

  private static @Nullable ObjectName operatingSystemName() {
    try {
      return new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME);
    } catch (JMException e) {
      return null;
    }
  }
}
