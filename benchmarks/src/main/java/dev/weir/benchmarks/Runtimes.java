package dev.weir.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ActorSystem;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The peers' long-lived threads, as JMH states: created once per trial, so no benchmark operation
 * pays for starting a thread pool or an actor system (Weir starts its workers per run, inside the
 * operation, because that is how its API runs a finite graph). Every thread is named after its
 * role, which is what {@link StageThreads} reports.
 *
 * <p>Thread-safety: JMH creates and tears down each state on one thread; the executors are
 * thread-safe.
 */
public final class Runtimes {

  private Runtimes() {}

  /** Daemon threads named {@code prefix-N}. */
  static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }

  /** Two single-thread Reactor schedulers: one for the producing half, one for the consuming. */
  @State(Scope.Benchmark)
  public static class ReactorPair {
    reactor.core.scheduler.Scheduler producer;
    reactor.core.scheduler.Scheduler consumer;

    /** Starts the schedulers. */
    @Setup(Level.Trial)
    public void start() {
      producer = reactor.core.scheduler.Schedulers.newSingle("reactor-producer", true);
      consumer = reactor.core.scheduler.Schedulers.newSingle("reactor-consumer", true);
    }

    /** Stops the schedulers. */
    @TearDown(Level.Trial)
    public void stop() {
      producer.dispose();
      consumer.dispose();
    }
  }

  /** Two single-thread RxJava schedulers. */
  @State(Scope.Benchmark)
  public static class RxPair {
    private ExecutorService producerThread;
    private ExecutorService consumerThread;
    io.reactivex.rxjava3.core.Scheduler producer;
    io.reactivex.rxjava3.core.Scheduler consumer;

    /** Starts the schedulers. */
    @Setup(Level.Trial)
    public void start() {
      producerThread = Executors.newSingleThreadExecutor(named("rx-producer"));
      consumerThread = Executors.newSingleThreadExecutor(named("rx-consumer"));
      producer = io.reactivex.rxjava3.schedulers.Schedulers.from(producerThread);
      consumer = io.reactivex.rxjava3.schedulers.Schedulers.from(consumerThread);
    }

    /** Stops the schedulers. */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
      producerThread.shutdownNow();
      consumerThread.shutdownNow();
      producerThread.awaitTermination(10, TimeUnit.SECONDS);
      consumerThread.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** A Pekko actor system with its default dispatcher, logging only warnings. */
  @State(Scope.Benchmark)
  public static class Pekko {
    ActorSystem system;

    /** Starts the actor system. */
    @Setup(Level.Trial)
    public void start() {
      Config config =
          ConfigFactory.parseString(
                  "pekko.loglevel = WARNING\n"
                      + "pekko.stdout-loglevel = WARNING\n"
                      + "pekko.log-dead-letters = off\n")
              .withFallback(ConfigFactory.load());
      system = ActorSystem.create("bench", config);
    }

    /** Terminates the actor system. */
    @TearDown(Level.Trial)
    public void stop() throws Exception {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** One plain producer thread. */
  @State(Scope.Benchmark)
  public static class ProducerThread {
    ExecutorService executor;

    /** Starts the thread. */
    @Setup(Level.Trial)
    public void start() {
      executor = Executors.newSingleThreadExecutor(named("abq-producer"));
    }

    /** Stops the thread. */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** {@code n} plain application threads. */
  static ExecutorService applicationThreads(int n) {
    return Executors.newFixedThreadPool(n, named("app"));
  }

  /** Joins an executor after shutting it down, bounded. */
  static void shutdown(ExecutorService executor, Duration timeout) throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
