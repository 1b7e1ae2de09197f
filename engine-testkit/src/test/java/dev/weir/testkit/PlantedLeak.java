package dev.weir.testkit;

import static org.awaitility.Awaitility.await;

import dev.weir.core.Node;
import dev.weir.core.Nodes;
import java.time.Duration;
import java.util.List;

/**
 * The planted leak the toolkit's tests use: something that keeps {@link #CHUNK} bytes for every
 * message it sees, as a node that caches payloads and never evicts them would.
 */
final class PlantedLeak {

  /** What each message leaks. */
  static final int CHUNK = 64 * 1024;

  private PlantedLeak() {}

  /** Keeps {@code messages} more chunks in {@code retained}. */
  static void retain(List<byte[]> retained, int messages) {
    for (int i = 0; i < messages; i++) {
      retained.add(new byte[CHUNK]);
    }
  }

  /** A forwarder that leaks one chunk per message into {@code retained}. */
  static Node node(List<byte[]> retained) {
    return Nodes.map(
        Item.class,
        Item.class,
        item -> {
          retain(retained, 1);
          return item;
        });
  }

  /** Forces a collection and samples once the monitor was told about it. */
  @SuppressWarnings("DoNotCall")
  static void collectAndSample(ResourceMonitor monitor) {
    long seen = monitor.collectionsSeen();
    System.gc();
    await().atMost(Duration.ofSeconds(30)).until(() -> monitor.collectionsSeen() > seen);
    monitor.sample();
  }
}
