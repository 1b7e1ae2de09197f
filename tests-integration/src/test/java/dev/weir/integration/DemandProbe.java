package dev.weir.integration;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@code Flow.Publisher} decorator that watches the demand its subscriber signals, from the
 * publisher's side: every {@code request(n)} with {@code n <= 0} (Reactive Streams rule 3.9), and
 * the largest outstanding demand (requested minus delivered) seen right after a request.
 *
 * <p>The delivered count grows before the item is handed on, so the outstanding demand seen here
 * never exceeds the subscriber's own count of it: a value above the subscriber's bound is a real
 * breach, never an artefact of the probe.
 *
 * <p>Thread-safety: the counters are atomic; signals pass through unchanged and in order.
 *
 * @param <T> the item type
 */
final class DemandProbe<T> implements Flow.Publisher<T> {

  private final Flow.Publisher<T> upstream;
  final AtomicLong requested = new AtomicLong();
  final AtomicLong delivered = new AtomicLong();
  final AtomicLong nonPositiveRequests = new AtomicLong();
  final AtomicLong maxOutstanding = new AtomicLong();

  DemandProbe(Flow.Publisher<T> upstream) {
    this.upstream = upstream;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    upstream.subscribe(
        new Flow.Subscriber<T>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            subscriber.onSubscribe(
                new Flow.Subscription() {
                  @Override
                  public void request(long n) {
                    if (n <= 0) {
                      nonPositiveRequests.incrementAndGet();
                    } else {
                      long outstanding = requested.addAndGet(n) - delivered.get();
                      maxOutstanding.accumulateAndGet(outstanding, Math::max);
                    }
                    s.request(n);
                  }

                  @Override
                  public void cancel() {
                    s.cancel();
                  }
                });
          }

          @Override
          public void onNext(T item) {
            delivered.incrementAndGet();
            subscriber.onNext(item);
          }

          @Override
          public void onError(Throwable failure) {
            subscriber.onError(failure);
          }

          @Override
          public void onComplete() {
            subscriber.onComplete();
          }
        });
  }
}
