package dev.weir.testkit.fault;

import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifies {@link Checksummed} payloads at a sink and turns what it saw into a verdict: INVALID if
 * any payload arrived corrupted, UNKNOWN if none arrived, VALID otherwise. With a corrupting {@link
 * Fault} in the run it is the proof that the corruption is detectable: the fault fired and the
 * verifier said INVALID.
 *
 * <p>Thread-safety: {@link #verify} is safe from any number of sinks at once; the counters are
 * atomic and the examples are guarded by the verifier's monitor.
 */
public final class ChecksumVerifier {

  private static final int EXAMPLES = 5;

  private final AtomicLong verified = new AtomicLong();
  private final AtomicLong corrupted = new AtomicLong();
  private final List<String> examples = new ArrayList<>();

  private ChecksumVerifier() {}

  /**
   * Returns a new verifier with nothing verified.
   *
   * @return the verifier
   */
  public static ChecksumVerifier create() {
    return new ChecksumVerifier();
  }

  /**
   * Checks one payload and returns its value.
   *
   * @param payload what the sink received
   * @param <T> the value type
   * @return the payload's value, whether or not it was intact
   */
  public <T> T verify(Checksummed<T> payload) {
    Objects.requireNonNull(payload, "payload");
    verified.incrementAndGet();
    if (!payload.intact()) {
      corrupted.incrementAndGet();
      synchronized (this) {
        if (examples.size() < EXAMPLES) {
          examples.add(payload.toString());
        }
      }
    }
    return payload.value();
  }

  /**
   * Returns how many payloads were verified.
   *
   * @return the count
   */
  public long verified() {
    return verified.get();
  }

  /**
   * Returns how many payloads failed their checksum.
   *
   * @return the count
   */
  public long corrupted() {
    return corrupted.get();
  }

  /**
   * Returns the checker over what this verifier saw.
   *
   * @return INVALID on any corrupted payload, UNKNOWN if nothing was verified, else VALID
   */
  public Checker checker() {
    return run -> {
      long seen = verified.get();
      long bad = corrupted.get();
      if (bad > 0) {
        List<String> some;
        synchronized (this) {
          some = List.copyOf(examples);
        }
        return CheckResult.invalid(
            bad + " of " + seen + " payloads failed their checksum, e.g. " + some);
      }
      return seen == 0
          ? CheckResult.unknown("no checksummed payload reached a sink")
          : CheckResult.valid(seen + " payloads verified, all intact");
    };
  }
}
