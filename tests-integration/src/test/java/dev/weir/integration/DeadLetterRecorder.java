package dev.weir.integration;

import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.DeadLetterHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * A {@link DeadLetterHandler} that keeps every dead letter, so a scenario can count them by node,
 * edge and reason and compare them with the shutdown report.
 *
 * <p>Thread-safety: thread-safe; the engine calls it from workers and from the stopping thread.
 */
final class DeadLetterRecorder implements DeadLetterHandler {

  private final ConcurrentLinkedQueue<DeadLetter> letters = new ConcurrentLinkedQueue<>();

  @Override
  public void accept(DeadLetter deadLetter) {
    letters.add(Objects.requireNonNull(deadLetter));
  }

  /** Returns every dead letter so far, in arrival order. */
  List<DeadLetter> all() {
    return new ArrayList<>(letters);
  }

  /** Returns how many dead letters arrived. */
  int count() {
    return letters.size();
  }

  /** Returns the dead letters matching a filter. */
  List<DeadLetter> matching(Predicate<? super DeadLetter> filter) {
    List<DeadLetter> out = new ArrayList<>();
    for (DeadLetter d : letters) {
      if (filter.test(d)) {
        out.add(d);
      }
    }
    return out;
  }

  /** Returns how many dead letters have a reason. */
  int count(DeadLetter.Reason reason) {
    return matching(d -> d.reason() == reason).size();
  }

  /** Returns the payloads of the dead letters with a reason, in arrival order. */
  List<Object> payloads(DeadLetter.Reason reason) {
    List<Object> out = new ArrayList<>();
    for (DeadLetter d : matching(d -> d.reason() == reason)) {
      out.add(d.message().payload());
    }
    return out;
  }

  /** Describes the dead letters, for failure messages. */
  String describe() {
    StringBuilder sb = new StringBuilder("dead letters (").append(letters.size()).append("):\n");
    int shown = 0;
    for (DeadLetter d : letters) {
      if (shown++ == 20) {
        sb.append("  ...\n");
        break;
      }
      sb.append("  ")
          .append(d.reason())
          .append(" node=")
          .append(d.node())
          .append(" edge=")
          .append(d.edgeId())
          .append(' ')
          .append(d.message())
          .append('\n');
    }
    return sb.toString();
  }
}
