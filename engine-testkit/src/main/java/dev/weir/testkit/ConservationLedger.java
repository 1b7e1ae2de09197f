package dev.weir.testkit;

import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.DeadLetterHandler;
import dev.weir.testkit.internal.EdgeLosses;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The conservation ledger of a stress run, kept by unique payload id: every message sent is
 * delivered, dropped, evicted, coalesced or dead-lettered, and none is delivered twice.
 *
 * <p>Actors report each offer's result ({@link #offered}), sinks report each delivery ({@link
 * #delivered}), and the scheduler's dead-letter handler reports what the graph gave up on ({@link
 * #deadLetters}). Losses an ingress reports to its caller (DROPPED, COALESCED, the message an
 * EVICTED result names) are tracked by id; losses inside the graph (a DROP, LATEST or COALESCE edge
 * between two nodes) are known only as counts, read from each graph's final edge counters. Then
 *
 * <pre>
 * lost = |sent − (delivered ∪ dead-lettered ∪ lost at the ingress)| − losses inside the graph
 * </pre>
 *
 * <p>must be zero, and no id may be delivered twice, dead-lettered twice, or delivered without
 * having been sent. A payload must keep its id on its way to the sink; a graph that fans one
 * message out to several sinks needs one ledger per sink path.
 *
 * <p>Thread-safety: safe from any number of actor, worker and dead-letter threads at once; {@link
 * #totals} and the checker read it after the run's threads were joined.
 *
 * @param <T> the tracked payload type
 */
public final class ConservationLedger<T> {

  private static final int EXAMPLES = 10;

  private final Class<T> type;
  private final ToLongFunction<? super T> idOf;
  private final Set<Long> sent = ConcurrentHashMap.newKeySet();
  private final Set<Long> delivered = ConcurrentHashMap.newKeySet();
  private final Set<Long> deadLettered = ConcurrentHashMap.newKeySet();
  private final Set<Long> dropped = ConcurrentHashMap.newKeySet();
  private final Set<Long> evicted = ConcurrentHashMap.newKeySet();
  private final Set<Long> coalesced = ConcurrentHashMap.newKeySet();
  private final Set<Long> duplicates = ConcurrentHashMap.newKeySet();
  private final AtomicLong foreignDeadLetters = new AtomicLong();

  private ConservationLedger(Class<T> type, ToLongFunction<? super T> idOf) {
    this.type = type;
    this.idOf = idOf;
  }

  /**
   * Returns an empty ledger.
   *
   * @param type the tracked payload type; dead letters with another payload type are counted as
   *     foreign and make the verdict UNKNOWN
   * @param idOf the payload's unique id
   * @param <T> the payload type
   * @return the ledger
   */
  public static <T> ConservationLedger<T> of(Class<T> type, ToLongFunction<? super T> idOf) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(idOf, "idOf");
    return new ConservationLedger<>(type, idOf);
  }

  /**
   * Records an offer to an ingress and its result. ACCEPTED, EVICTED, DROPPED and COALESCED count
   * as sent (the last two also as lost by policy, and EVICTED's evicted message as evicted);
   * BLOCKED, CLOSED, FAILED and REJECTED leave the payload with the caller, so it was not sent.
   *
   * @param payload the payload offered
   * @param result what the ingress returned
   * @return whether the payload counts as sent
   * @throws IllegalArgumentException if the payload's id was sent before: ids must be unique
   */
  public boolean offered(T payload, OfferResult result) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(result, "result");
    long id = idOf.applyAsLong(payload);
    switch (result.status()) {
      case ACCEPTED -> send(id);
      case EVICTED -> {
        send(id);
        Message<?> out = result.evicted();
        if (out != null && type.isInstance(out.payload())) {
          evicted.add(idOf.applyAsLong(type.cast(out.payload())));
        }
      }
      case DROPPED -> {
        send(id);
        dropped.add(id);
      }
      case COALESCED -> {
        send(id);
        coalesced.add(id);
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /**
   * Records a delivery at a sink.
   *
   * @param payload the payload delivered
   */
  public void delivered(T payload) {
    Objects.requireNonNull(payload, "payload");
    long id = idOf.applyAsLong(payload);
    if (!delivered.add(id)) {
      duplicates.add(id);
    }
  }

  /**
   * Returns a dead-letter handler that records each letter; give it to the scheduler ({@code
   * Scheduler.Builder.deadLetters}).
   *
   * @return the handler
   */
  public DeadLetterHandler deadLetters() {
    return this::deadLettered;
  }

  /**
   * Records one dead letter.
   *
   * @param letter the letter
   */
  public void deadLettered(DeadLetter letter) {
    Objects.requireNonNull(letter, "letter");
    Object payload = letter.message().payload();
    if (!type.isInstance(payload)) {
      foreignDeadLetters.incrementAndGet();
      return;
    }
    long id = idOf.applyAsLong(type.cast(payload));
    if (!deadLettered.add(id)) {
      duplicates.add(id);
    }
  }

  /**
   * Adds up the ledger of a finished run.
   *
   * @param run the run, for the edge counters of every graph it started
   * @return the totals
   */
  public Totals totals(RunRecord run) {
    Objects.requireNonNull(run, "run");
    EdgeLosses inside = EdgeLosses.insideGraphs(run.incarnations());
    Set<Long> accounted = new HashSet<>(delivered);
    accounted.addAll(deadLettered);
    accounted.addAll(dropped);
    accounted.addAll(evicted);
    accounted.addAll(coalesced);
    long missing = 0;
    List<Long> missingIds = new ArrayList<>();
    for (Long id : sent) {
      if (!accounted.contains(id)) {
        missing++;
        if (missingIds.size() < EXAMPLES) {
          missingIds.add(id);
        }
      }
    }
    List<Long> phantoms = new ArrayList<>();
    long phantomCount = 0;
    for (Long id : accounted) {
      if (!sent.contains(id)) {
        phantomCount++;
        if (phantoms.size() < EXAMPLES) {
          phantoms.add(id);
        }
      }
    }
    Set<Long> both = new HashSet<>(delivered);
    both.retainAll(deadLettered);
    long duplicated = (long) duplicates.size() + both.size();
    return new Totals(
        sent.size(),
        delivered.size(),
        dropped.size() + inside.dropped(),
        evicted.size() + inside.evicted(),
        coalesced.size() + inside.coalesced(),
        deadLettered.size(),
        missing - inside.total(),
        duplicated,
        phantomCount,
        foreignDeadLetters.get(),
        List.copyOf(missingIds),
        List.copyOf(phantoms));
  }

  /**
   * Returns the checker of this ledger: VALID when nothing was lost, duplicated or invented.
   *
   * @return the checker
   */
  public Checker checker() {
    return run -> {
      Totals t = totals(run);
      if (t.foreignDeadLetters() > 0) {
        return CheckResult.unknown(
            t.foreignDeadLetters()
                + " dead letters carried a payload that is not a "
                + type.getName()
                + ", so their ids are unknown: "
                + t);
      }
      if (t.lost() != 0 || t.duplicated() > 0 || t.phantoms() > 0) {
        return CheckResult.invalid(describeBreak(t));
      }
      if (t.sent() == 0) {
        return CheckResult.unknown("no message was sent: the ledger proves nothing");
      }
      return CheckResult.valid(t.toString());
    };
  }

  private static String describeBreak(Totals t) {
    StringBuilder sb = new StringBuilder("the ledger does not balance: ").append(t);
    if (t.lost() > 0) {
      sb.append("; ").append(t.lost()).append(" lost, e.g. ids ").append(t.missingExamples());
    } else if (t.lost() < 0) {
      sb.append("; ")
          .append(-t.lost())
          .append(" more losses counted inside the graph than ids are missing (counted twice?)");
    }
    if (t.duplicated() > 0) {
      sb.append("; ").append(t.duplicated()).append(" ids delivered or dead-lettered twice");
    }
    if (t.phantoms() > 0) {
      sb.append("; ids never sent: ").append(t.phantomExamples());
    }
    return sb.toString();
  }

  private void send(long id) {
    if (!sent.add(id)) {
      throw new IllegalArgumentException(
          "payload id " + id + " was sent twice: the ledger needs a unique id per message");
    }
  }

  /**
   * The ledger's totals.
   *
   * <p>Thread-safety: an immutable record.
   *
   * @param sent messages sent (counted by {@link #offered})
   * @param delivered distinct ids delivered at the sinks
   * @param dropped dropped by a DROP edge (at the ingress or inside the graph)
   * @param evicted evicted by a LATEST edge
   * @param coalesced merged into another message by a COALESCE edge
   * @param deadLettered distinct ids dead-lettered
   * @param lost sent and never accounted for; negative when more losses were counted than ids are
   *     missing; zero when the ledger balances
   * @param duplicated ids delivered twice, dead-lettered twice, or both delivered and dead-lettered
   * @param phantoms ids delivered or dead-lettered that were never sent
   * @param foreignDeadLetters dead letters whose payload is not the tracked type
   * @param missingExamples up to ten ids that were sent and not accounted for
   * @param phantomExamples up to ten ids that were never sent
   */
  public record Totals(
      long sent,
      long delivered,
      long dropped,
      long evicted,
      long coalesced,
      long deadLettered,
      long lost,
      long duplicated,
      long phantoms,
      long foreignDeadLetters,
      List<Long> missingExamples,
      List<Long> phantomExamples) {

    /**
     * Checks and copies the lists.
     *
     * @param sent the {@link #sent()} component
     * @param delivered the {@link #delivered()} component
     * @param dropped the {@link #dropped()} component
     * @param evicted the {@link #evicted()} component
     * @param coalesced the {@link #coalesced()} component
     * @param deadLettered the {@link #deadLettered()} component
     * @param lost the {@link #lost()} component
     * @param duplicated the {@link #duplicated()} component
     * @param phantoms the {@link #phantoms()} component
     * @param foreignDeadLetters the {@link #foreignDeadLetters()} component
     * @param missingExamples the {@link #missingExamples()} component
     * @param phantomExamples the {@link #phantomExamples()} component
     * @throws NullPointerException if a list is null, naming it
     */
    public Totals {
      missingExamples = List.copyOf(Objects.requireNonNull(missingExamples, "missingExamples"));
      phantomExamples = List.copyOf(Objects.requireNonNull(phantomExamples, "phantomExamples"));
    }

    @Override
    public String toString() {
      return "sent="
          + sent
          + " delivered="
          + delivered
          + " dropped="
          + dropped
          + " evicted="
          + evicted
          + " coalesced="
          + coalesced
          + " deadLettered="
          + deadLettered
          + " lost="
          + lost
          + " duplicated="
          + duplicated;
    }
  }
}
