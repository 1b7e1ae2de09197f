package dev.weir.core.internal;

import dev.weir.core.EdgeSpec;
import dev.weir.core.MergeFailedException;
import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: a single-producer single-consumer ring in which the producer, when the ring is
 * full, may replace a queued message with a merged one (CAS on its slot) and, for a keyed policy
 * whose fallback is LATEST ("evicting ring"), evict the oldest queued message. Two variants:
 *
 * - Non-evicting (unkeyed; keyed with fallback BLOCK or DROP): only the consumer removes. It owns
 *   head; it takes index h by nulling slot h with a CAS or getAndSet, then publishes head h + 1.
 *   The producer counts a slot it sees empty as consumed, even before head moves, so a consumer
 *   paused between its two stores cannot make the producer spin (published tail - head may then
 *   briefly be capacity + 1; depth(), the high-water mark and remainingCapacity() clamp).
 * - Evicting: both sides remove at head. Who owns index h is decided by one CAS of head from h to
 *   h + 1 (unbounded long indices: no ABA), as in EvictingRingEdge. The owner then clears slot h.
 *   A slot is reused only once cleared: the producer waits for slot t & mask to be null before it
 *   writes index t (the consumer clears the slot right after its CAS of head).
 *
 * Merges: the producer merges into index j with CAS(slot j, queued, merged). Only the producer
 * stores non-null values, every merge stores a fresh object (Message.withPayload), and a slot is
 * reused only after it was cleared, so a slot never holds the same object twice: no ABA on slots.
 * A merge that loses to the consumer's clear fails; the result is discarded (merges are pure) and
 * the offer retries, now with room.
 *
 * CONTROL before DATA (the part specific to this ring). A merge changes a message already queued,
 * so checking the CONTROL lane before taking the slot is not enough: a CONTROL message offered
 * after that check, then a DATA payload merged into the slot, would reach the consumer inside the
 * older message before the CONTROL one. So the consumer (1) reads the slot ("seen"), (2) polls the
 * CONTROL lane and delivers what it finds, (3) claims, and (4) clears the slot with
 * CAS(slot, seen, null):
 *   - If that CAS succeeds, the message delivered is the one read in (1), and its last write (the
 *     append, published by the release store of tail that the consumer acquired, or the last merge
 *     CAS, read by the acquire load in (1)) happens-before (2): every CONTROL message offered
 *     before that write was in the lane at (2), and (2) found the lane empty.
 *   - If it fails, a merge replaced "seen" after (1). getAndSet then takes the latest value (it
 *     reads the last merge CAS, a volatile write: synchronizes-with) and the consumer polls the
 *     lane again. If it finds a CONTROL message, it delivers that one and keeps the DATA message in
 *     `held`; a later poll delivers `held` only when the lane is empty, so after every CONTROL
 *     message offered before its last merge.
 * The getAndSet stores HOLDING, a sentinel, not null: the held message keeps its slot until it is
 * delivered, so it still counts against the capacity (capacity is a hard bound, DESIGN.md). The
 * next poll or discardAll delivers `held`, then (in this order) nulls `held`, stores null in the
 * slot (release) and, on the non-evicting ring, publishes head past it. So:
 *   - Non-evicting: head stays at the held index while it is held, so tail - head counts it (depth,
 *     remainingCapacity, the high-water mark need nothing more). Only onFull meets the slot: for
 *     an unkeyed ring whose newest index is the held one (capacity 1, or everything else taken),
 *     there is no queued message to merge into, and the offer is refused as BLOCKED, the default
 *     fallback of a full keyed ring (nothing is lost; the next poll makes room and wakes the
 *     producer); a keyed scan stops at the held slot (nothing older is queued).
 *   - Evicting: head moved by the consumer's claim, so the producer adds the held index itself: it
 *     may write index t only if t - capacity is not held, which it checks (slot of t - capacity,
 *     acquire) only when t - headCache == capacity - 1, the one case where t - capacity can be
 *     the held index (indices below headCache are claimed). Full that way, the offer merges into a
 *     queued message with its key; if none has it, it is refused as BLOCKED even with fallback
 *     LATEST, which evicts the oldest queued message: that one is already being delivered.
 *   - A producer that reads HOLDING and then (acquire) held == null caught the consumer between
 *     its getAndSet and its store of held, or between delivering held and clearing the slot; it
 *     retries (the same few-instruction wait as the evicting producer's, see Progress).
 * Happens-before for the slot's reuse: the consumer's getAndSet read the message and its release
 * store of null follows; the producer's acquire load of null (or of head, published after it)
 * precedes its write of the slot. For the refusal: the consumer's release store of held follows
 * its store of HOLDING, so a producer that acquires held != null after reading HOLDING knows the
 * slot is held, not merely passing through.
 *
 * Invariants: 0 <= tail - head <= capacity (see the caveat above), and on the evicting ring
 * tail - head <= capacity - 1 while a message is held, so the DATA depth (queued plus held) never
 * exceeds capacity; slots [head, tail) hold the queued messages in order (a merge keeps its target's
 * position), each slot of an unclaimed index holds its message, the held index's slot holds
 * HOLDING; at most one message is held.
 *
 * Progress: the consumer is lock-free (its CAS of head fails only when the producer evicted, its
 * retry of the slot read only after that). The producer is lock-free, except that it waits for
 * the consumer in two places: on the evicting ring, for the one slot the consumer claimed and has
 * not cleared yet, if that slot is the one it is about to reuse or the one capacity below it
 * (heldBlocks); on either ring, when it reads HOLDING while held is unset. Each wait lasts a few
 * instructions of the consumer's, unless the consumer thread is descheduled between them.
 *
 * Happens-before: slot store, then release store of tail (producer); acquire load of tail, then
 * acquire load of the slot (consumer). The consumer clears a slot (CAS or getAndSet, volatile)
 * before it publishes head (non-evicting), and the producer acquires the slot's null before it
 * reuses it (evicting); either way the consumer's read of a slot happens-before its reuse.
 *
 * References: Lamport's ring (the non-evicting variant is the SPSC ring with a CAS for the one
 * slot both sides may write); JCTools' SpscArrayQueue for the cached indices.
 */

/**
 * The DATA ring for COALESCE edges ({@link OverflowPolicy#coalesce}): when full, the incoming
 * payload is merged into the newest queued message (unkeyed) or into the newest queued message with
 * an equal key; when no queued message has the key, the policy's fallback applies (BLOCK, DROP, or
 * LATEST: evict the oldest). A message the consumer holds back for one poll, so that a CONTROL
 * message offered before its last merge goes first, still takes its place in the capacity: when it
 * is the only message left to merge into (or, keyed with fallback LATEST, the one that would be
 * evicted), the offer is refused as BLOCKED until the next poll delivers it.
 *
 * <p>Thread-safety: one producer and one consumer thread at a time, lock-free (see the design
 * block). Writes before {@code offer} are visible after the {@code poll} that returns the message;
 * a payload merged into a queued message is never delivered before a CONTROL message offered before
 * it.
 */
final class CoalescingRingEdge<T> extends RingEdge<T> {

  private static final VarHandle HELD;

  /** {@link #indexOfSameKey}: no queued message has the key. */
  private static final long NO_KEY = -1;

  /** {@link #indexOfSameKey}: a slot turned out cleared, so there is room now. */
  private static final long ROOM = -2;

  /**
   * Stored in the slot of the held message while it is held, so that the slot stays occupied (see
   * the design block). Never delivered; compared by identity.
   */
  private static final Message<?> HOLDING = Message.of("COALESCE slot of a held message");

  static {
    try {
      HELD = MethodHandles.lookup().findVarHandle(CoalescingRingEdge.class, "held", Message.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final BinaryOperator<Object> merge;
  private final @Nullable Function<Object, ?> key;

  /** What a keyed offer does when no queued message has its key; null when unkeyed. */
  private final OverflowPolicy.@Nullable Kind fallback;

  /** Whether the producer evicts (keyed, fallback LATEST): then head is shared, see above. */
  private final boolean evicts;

  /**
   * Below this {@code t - headCache}, offerData appends at once: capacity, or capacity - 1 on the
   * evicting ring, which must check {@link #heldBlocks} when t - headCache == capacity - 1.
   */
  private final int fastLimit;

  /** Producer-local: set when a scan found a slot the consumer already took (see offerData). */
  private long takenBelow;

  /**
   * A DATA message the consumer took from the ring but delivers after a CONTROL message (see the
   * design block). Written only by the consumer (release); read by any thread in {@link #depth()}.
   */
  @SuppressWarnings("unused") // accessed through HELD
  private @Nullable Message<?> held;

  /** Consumer-local: the index whose slot holds {@link #HOLDING} while {@link #held} is set. */
  private long heldIndex;

  CoalescingRingEdge(String id, PortSpec<T> port, EdgeSpec spec) {
    super(id, port, spec);
    OverflowPolicy policy = spec.policy();
    BinaryOperator<Object> m = policy.merge();
    if (m == null) {
      throw new IllegalArgumentException("edge " + id + ": a COALESCE policy needs a merge");
    }
    this.merge = m;
    this.key = policy.key();
    OverflowPolicy f = policy.fallback();
    this.fallback = key == null ? null : f == null ? OverflowPolicy.Kind.BLOCK : f.kind();
    this.evicts = fallback == OverflowPolicy.Kind.LATEST;
    this.fastLimit = evicts ? capacity - 1 : capacity;
  }

  @Override
  OfferResult offerData(Message<?> message) {
    for (; ; ) {
      long t = tail;
      // One compare, as on every ring; the evicting ring's check of a held index is in here.
      if (t - headCache >= fastLimit) {
        // acquire: pairs with the consumer's store of head; it cleared the slot first.
        headCache = Math.max(headCache, headAcquire());
        if (t - headCache >= capacity || (evicts && heldBlocks(t))) {
          OfferResult full = onFull(message, t, headCache);
          if (full != null) {
            return full;
          }
          // The scan met a slot already cleared: every index below takenBelow is claimed even if
          // head is not published yet (the acquire load of the null pairs with the clear), so count
          // them as gone instead of spinning on head.
          headCache = Math.max(headCache, takenBelow);
          continue;
        }
      }
      append(message, t);
      return OfferResult.accepted();
    }
  }

  /**
   * Evicting ring, producer: whether writing index t would put the DATA depth above capacity
   * because index t - capacity is held (head already moved past it). Reads a slot only when t -
   * headCache == capacity - 1, the one case where t - capacity can be the held index.
   */
  private boolean heldBlocks(long t) {
    long i = t - capacity;
    if (t - headCache != capacity - 1 || i < 0) {
      return false;
    }
    // Index i is claimed (i < headCache). Its slot holds message i until the consumer resolves it:
    // null once delivered, HOLDING (with held set) if held. Wait out the claimed-but-unresolved
    // state (a few instructions of the consumer's), or we could write index t and then see i held.
    for (; ; ) {
      // acquire: pairs with the consumer's release store of null in the slot (its read of the
      // message happens-before our write of index t, which may share the slot) and of held.
      Message<?> s = slotAcquire(i);
      if (s == null) {
        return false;
      }
      if (s == HOLDING && HELD.getAcquire(this) != null) {
        return true;
      }
      Thread.onSpinWait();
    }
  }

  /** Producer: writes index t and publishes it; t is known to have room. */
  private void append(Message<?> message, long t) {
    if (evicts) {
      // acquire: pairs with the clear of index t - buffer.length (see the design block).
      while (slotAcquire(t) != null) {
        Thread.onSpinWait();
      }
    }
    buffer[(int) t & mask] = message;
    // release: the slot store above is visible to a consumer that acquires the new tail.
    setTailRelease(t + 1);
    onAccepted(t + 1);
  }

  /**
   * The full ring's answer: merge into the target, or apply the keyed fallback; null if the
   * consumer claimed a message meanwhile, which means there is room now.
   */
  private @Nullable OfferResult onFull(Message<?> incoming, long t, long h) {
    long target;
    Message<?> queued;
    Object merged;
    try {
      Function<Object, ?> keyOf = key;
      target = keyOf == null ? t - 1 : indexOfSameKey(keyOf, incoming, t, h);
      if (target == ROOM) {
        return null;
      }
      if (target == NO_KEY) {
        if (evicts && heldBlocks(t)) {
          // The held message takes the last place; LATEST would evict it, but it is being
          // delivered. The next poll makes room.
          return refuseFull(OverflowPolicy.Kind.BLOCK);
        }
        return onKeyAbsent(incoming, t);
      }
      queued = slotAcquire(target);
      if (queued == null) {
        takenBelow = target + 1;
        return null;
      }
      if (queued == HOLDING) {
        return onHeldSlot();
      }
      merged = merge.apply(queued.payload(), incoming.payload());
      if (merged == null) {
        throw new NullPointerException("the merge returned null");
      }
      String problem = port.check(merged);
      if (problem != null) {
        throw new IllegalArgumentException("the merge returned an invalid payload: " + problem);
      }
    } catch (RuntimeException e) {
      counters.incrementProducer(EdgeCounters.FAILED);
      return OfferResult.failed(
          new MergeFailedException(
              id,
              "edge "
                  + id
                  + ": the COALESCE merge or key function threw "
                  + e
                  + "; the incoming message was not enqueued and the queue is unchanged."
                  + " Merge and key functions must be pure and total over the edge's payloads",
              e));
    }
    // CAS: fails if the consumer cleared the slot since (it took the message), then we retry.
    if (casSlot(target, queued, queued.withPayload(merged))) {
      counters.incrementProducer(EdgeCounters.COALESCED);
      return OfferResult.coalesced();
    }
    return null;
  }

  /**
   * Scans from newest to oldest for the queued message whose key equals the incoming one's and
   * returns its index; {@link #NO_KEY} if none has it; {@link #ROOM} if a slot turned out cleared.
   */
  private long indexOfSameKey(Function<Object, ?> keyOf, Message<?> incoming, long t, long h) {
    Object wanted = keyOf.apply(incoming.payload());
    for (long i = t - 1; i >= h; i--) {
      Message<?> q = slotAcquire(i);
      if (q == null) {
        takenBelow = i + 1;
        return ROOM;
      }
      if (q == HOLDING) {
        // acquire: as in onHeldSlot.
        if (HELD.getAcquire(this) == null) {
          Thread.onSpinWait();
          return ROOM; // the consumer is between two stores: look again
        }
        // The held message's slot (non-evicting ring): nothing older is queued, and a held
        // message takes no merge, so the full edge's fallback applies.
        return NO_KEY;
      }
      if (Objects.equals(wanted, keyOf.apply(q.payload()))) {
        return i;
      }
    }
    return NO_KEY;
  }

  /**
   * Unkeyed ring: the newest slot read HOLDING, so no queued message can take the merge. Refused as
   * BLOCKED if the consumer holds the message (the next poll delivers it and makes room); null
   * (look again) if the producer caught the consumer between two of its stores.
   */
  private @Nullable OfferResult onHeldSlot() {
    // acquire: pairs with the consumer's release store of held, made after it stored HOLDING; a
    // held message is released (held nulled) before its slot is, and the consumer holds one at a
    // time, so held != null here means the slot we read is the held one.
    if (HELD.getAcquire(this) != null) {
      return refuseFull(OverflowPolicy.Kind.BLOCK);
    }
    Thread.onSpinWait();
    return null;
  }

  /** The keyed fallback; null if the consumer made room meanwhile. */
  private @Nullable OfferResult onKeyAbsent(Message<?> incoming, long t) {
    if (fallback != OverflowPolicy.Kind.LATEST) {
      return refuseFull(
          fallback == OverflowPolicy.Kind.DROP ? fallback : OverflowPolicy.Kind.BLOCK);
    }
    long h = headVolatile();
    Message<?> oldest = slotAcquire(h);
    // CAS: claims index h against the consumer's CAS of head; the slot was read before, and it
    // cannot be cleared or reused while head is h, so what we read is what we evict.
    if (t - h < capacity || oldest == null || !casHead(h, h + 1)) {
      return null;
    }
    // release: the consumer's stale read of this slot fails its CAS of head, as head moved.
    setSlotRelease(h, null);
    headCache = h + 1;
    append(incoming, t);
    counters.incrementProducer(EdgeCounters.EVICTED);
    return OfferResult.evicted(oldest);
  }

  @Override
  @Nullable Message<?> takeNext() {
    Message<?> kept = (Message<?>) HELD.get(this);
    if (kept != null) {
      Message<?> c = control.poll();
      if (c != null) {
        return c;
      }
      // release, in this order: held first, so a producer that still reads HOLDING sees held null
      // and retries instead of refusing; then the slot (our read of it happens-before its reuse);
      // then head (non-evicting), which makes the room visible to the fast path.
      HELD.setRelease(this, null);
      setSlotRelease(heldIndex, null);
      publishHead(heldIndex);
      return kept;
    }
    for (; ; ) {
      long h = evicts ? headVolatile() : head;
      refreshTailCache(h);
      if (h >= tailCache) {
        return control.poll();
      }
      // (1) acquire: pairs with the merge CAS, or with the release of tail after the append.
      Message<?> seen = slotAcquire(h);
      if (seen == null) {
        continue; // evicting ring only: the producer claimed h since we read head
      }
      // (2) every CONTROL message offered before seen's last write is in the lane by now.
      Message<?> c = control.poll();
      if (c != null) {
        return c;
      }
      // (3) evicting ring: claim h; fails if the producer evicted it (then seen is not ours).
      if (evicts && !casHead(h, h + 1)) {
        continue;
      }
      // (4) CAS: succeeds iff no merge replaced seen since (1).
      if (casSlot(h, seen, null)) {
        publishHead(h);
        return seen;
      }
      // getAndSet: reads the last merge; no merge into this slot succeeds after it. HOLDING, not
      // null: the slot stays occupied if we hold the message (see the design block).
      Message<?> merged = Objects.requireNonNull(holdSlot(h), "a claimed slot was empty");
      c = control.poll();
      if (c != null) {
        // The slot keeps HOLDING and head stays at h (non-evicting): the held message still counts
        // against the capacity. release: a producer that read HOLDING and then acquires held
        // refuses only once it is set; depth() on another thread sees it (evicting ring).
        heldIndex = h;
        HELD.setRelease(this, merged);
        return c;
      }
      // release: our read of the slot happens-before the producer reuses it.
      setSlotRelease(h, null);
      publishHead(h);
      return merged;
    }
  }

  /** Consumer: after clearing slot h, moves head past it (the evicting ring's CAS already did). */
  private void publishHead(long h) {
    if (!evicts) {
      // release: the slot is null before the producer can see room for reusing it.
      setHeadRelease(h + 1);
    }
  }

  /** Consumer: takes the slot of index h, leaving {@link #HOLDING} in it. */
  private @Nullable Message<?> holdSlot(long h) {
    return getAndSetSlot(h, HOLDING);
  }

  @Override
  public int depth() {
    // The non-evicting ring keeps head at a held index: tail - head counts the held message.
    // acquire: pairs with the consumer's release stores of held (evicting ring: head moved).
    if (!evicts || HELD.getAcquire(this) == null) {
      return super.depth();
    }
    return Math.min(capacity, super.depth() + 1);
  }

  @Override
  public int remainingCapacity() {
    // acquire: as in depth(); the evicting ring's head moved past the held message.
    if (!evicts || HELD.getAcquire(this) == null) {
      return super.remainingCapacity();
    }
    return Math.max(0, super.remainingCapacity() - 1);
  }
}
