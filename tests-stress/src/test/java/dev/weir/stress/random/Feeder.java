package dev.weir.stress.random;

import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.scheduler.BatchOfferResult;
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
        if (!control && random.nextDouble() < model.batchRate()) {
          int size = Math.min(2 + random.nextInt(15), model.messages() - i);
          if (!sendBatch(i, size)) {
            return;
          }
          i += size - 1;
          continue;
        }
        long id = id(i);
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

  /**
   * Sends tokens {@code first .. first + size - 1} as DATA with {@code offerAll} or {@code putAll},
   * resuming after each refusal: BLOCKED retries the rest, FAILED (a full FAIL edge) leaves the
   * refused token unsent and goes on with the ones after it.
   *
   * @return false if the ingress closed or the run aborted
   */
  private boolean sendBatch(int first, int size) {
    List<Token> batch = new ArrayList<>();
    for (int k = 0; k < size; k++) {
      int i = first + k;
      batch.add(Token.fed(stream(), i + 1, false, random.nextInt(4), id(i)));
    }
    boolean blocking = model.blockingPut();
    while (!batch.isEmpty()) {
      BatchOfferResult r = blocking ? ingress.putAll(batch, PUT_SLICE) : ingress.offerAll(batch);
      blocking = true;
      for (OfferStatus s :
          List.of(
              OfferStatus.ACCEPTED,
              OfferStatus.EVICTED,
              OfferStatus.COALESCED,
              OfferStatus.DROPPED)) {
        if (r.count(s) > 0) {
          outcomes.merge(s, (long) r.count(s), Long::sum);
        }
      }
      for (int k = 0; k < r.taken(); k++) {
        sentIds.add(batch.get(k).ids()[0]);
      }
      progress.addAndGet(r.taken());
      OfferResult refusal = r.refusal();
      if (refusal == null) {
        return true;
      }
      batch = new ArrayList<>(batch.subList(r.taken(), batch.size()));
      switch (refusal.status()) {
        case BLOCKED -> {
          if (abort.get() || Thread.currentThread().isInterrupted()) {
            return false;
          }
        }
        case FAILED -> {
          outcomes.merge(OfferStatus.FAILED, 1L, Long::sum);
          progress.incrementAndGet();
          batch.remove(0);
        }
        default -> {
          outcomes.merge(refusal.status(), 1L, Long::sum);
          return false;
        }
      }
    }
    return true;
  }

  private long id(int i) {
    return ((long) (feederIndex + 1) << 32) | i;
  }

  private OfferResult send(Token token) throws InterruptedException {
    OfferResult result = model.blockingPut() ? ingress.put(token, PUT_SLICE) : ingress.offer(token);
    while (result.status() == OfferStatus.BLOCKED && !abort.get()) {
      result = ingress.put(token, PUT_SLICE);
    }
    return result;
  }
}
