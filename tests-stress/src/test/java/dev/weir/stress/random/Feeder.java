package dev.weir.stress.random;

import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.scheduler.Ingress;
import dev.weir.stress.random.CaseModel.IngressModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One application thread's stream into an ingress: DATA tokens through {@code offer} or {@code put}
 * (retried while BLOCKED, so a DATA token is sent once it is taken), CONTROL tokens through {@code
 * offerControl} (a refused one is simply not sent). It stops early when the ingress answers CLOSED
 * (the graph or the node behind it stopped) or when the run aborts it.
 *
 * <p>Thread-safety: runs on its own thread; the checks read its records after joining it. {@link
 * #progress()} may be read from any thread.
 */
final class Feeder implements Runnable {

  private static final Duration PUT_SLICE = Duration.ofMillis(20);

  private final IngressModel model;
  private final int feederIndex;
  private final Ingress<Token> ingress;
  private final SplittableRandom random;
  private final AtomicBoolean abort;
  private final AtomicLong progress = new AtomicLong();

  /** Offers by final status (a BLOCKED data offer that was retried counts once, as its end). */
  final Map<OfferStatus, Long> outcomes = new EnumMap<>(OfferStatus.class);

  /** Ids sent: the ingress accepted, evicted for, dropped or coalesced them. */
  final List<Long> sentIds = new ArrayList<>();

  /** Sequence numbers of the CONTROL tokens the ingress accepted, ascending. */
  final List<Long> controlSeqs = new ArrayList<>();

  /** Ids the ingress evicted (a LATEST edge) or dropped when they were offered. */
  final List<Long> lostAtIngress = new ArrayList<>();

  volatile boolean interrupted;

  Feeder(
      IngressModel model, int feederIndex, Ingress<Token> ingress, long seed, AtomicBoolean abort) {
    this.model = model;
    this.feederIndex = feederIndex;
    this.ingress = ingress;
    this.random = new SplittableRandom(seed);
    this.abort = abort;
  }

  /** The stream number this feeder's tokens carry in {@link Token#from()}. */
  int stream() {
    return -1 - feederIndex;
  }

  /** Messages this feeder has finished with so far: a progress counter. */
  long progress() {
    return progress.get();
  }

  @Override
  public void run() {
    try {
      for (int i = 0; i < model.messages() && !abort.get(); i++) {
        boolean control = random.nextDouble() < model.controlRate();
        long id = ((long) (feederIndex + 1) << 32) | i;
        Token token = Token.fed(stream(), i + 1, control, random.nextInt(4), id);
        OfferResult result = control ? ingress.offerControl(token) : send(token);
        progress.incrementAndGet();
        outcomes.merge(result.status(), 1L, Long::sum);
        switch (result.status()) {
          case ACCEPTED, COALESCED -> sentIds.add(id);
          case EVICTED -> {
            sentIds.add(id);
            Message<?> out = result.evicted();
            if (out != null && out.payload() instanceof Token gone) {
              for (long lost : gone.ids()) {
                lostAtIngress.add(lost);
              }
            }
          }
          case DROPPED -> {
            sentIds.add(id);
            lostAtIngress.add(id);
          }
          case CLOSED -> {
            return;
          }
          default -> {}
        }
        if (control && result.status() == OfferStatus.ACCEPTED) {
          controlSeqs.add(token.seq());
        }
      }
    } catch (InterruptedException e) {
      interrupted = true;
      Thread.currentThread().interrupt();
    }
  }

  private OfferResult send(Token token) throws InterruptedException {
    OfferResult result = model.blockingPut() ? ingress.put(token, PUT_SLICE) : ingress.offer(token);
    while (result.status() == OfferStatus.BLOCKED && !abort.get()) {
      result = ingress.put(token, PUT_SLICE);
    }
    return result;
  }
}
