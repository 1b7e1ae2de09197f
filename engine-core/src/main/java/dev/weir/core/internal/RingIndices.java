package dev.weir.core.internal;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/*
 * Field layout of every Weir ring: the producer's fields and the consumer's fields each sit on
 * their own cache lines (128 bytes of padding either side, covering adjacent-line prefetch), so a
 * producer and a consumer on two cores do not invalidate each other's lines on every operation.
 * HotSpot lays superclass fields before subclass fields, which is what the class chain relies on
 * (the JCTools layout).
 */

@SuppressWarnings("unused")
abstract class RingPad0 {
  long p000;
  long p001;
  long p002;
  long p003;
  long p004;
  long p005;
  long p006;
  long p007;
  long p008;
  long p009;
  long p010;
  long p011;
  long p012;
  long p013;
  long p014;
  long p015;
}

/**
 * Producer-owned: the next index to write, what the producer knows about the consumer's progress,
 * and the producer's own counter (the high-water mark).
 */
abstract class RingProducerFields extends RingPad0 {
  /** Written only by the producer; published with release so the slot write is visible first. */
  long tail;

  /** Producer-local lower bound of {@code head}; never read by the consumer. */
  long headCache;

  /**
   * Producer-local (SPSC DATA rings only): every index below this one may be written without
   * looking at the consumer, because the slots that prove room were seen empty (see {@link
   * RingIndices#raiseRoomLimit}).
   */
  long roomLimit;

  /**
   * Producer-local (SPSC DATA rings only): {@code min(roomLimit, headCache + highWaterMark)}. An
   * offer of an index below it has room and cannot raise the high-water mark, so it needs one
   * compare for both; an offer at or past it takes the slow path, which recomputes it.
   */
  long producerLimit;

  /** Producer-local (LATEST only): every slot of an index below this one has been nulled. */
  long cleaned;

  /**
   * The largest DATA depth seen. Written only by the producer (opaque), read by any thread
   * (opaque).
   */
  long highWaterMark;
}

@SuppressWarnings("unused")
abstract class RingPad1 extends RingProducerFields {
  long p100;
  long p101;
  long p102;
  long p103;
  long p104;
  long p105;
  long p106;
  long p107;
  long p108;
  long p109;
  long p110;
  long p111;
  long p112;
  long p113;
  long p114;
  long p115;
}

/**
 * Consumer-owned: the next index to read, the last producer index the consumer saw, and the
 * consumer's own counter.
 */
abstract class RingConsumerFields extends RingPad1 {
  /** The next index to consume; written by the consumer (and by an evicting producer via CAS). */
  long head;

  /** Consumer-local cache of {@code tail}; never read by the producer. */
  long tailCache;

  /**
   * Messages handed out by {@code poll}. Written only by the consumer (opaque), read by any thread
   * (opaque).
   */
  long delivered;
}

@SuppressWarnings("unused")
abstract class RingPad2 extends RingConsumerFields {
  long p200;
  long p201;
  long p202;
  long p203;
  long p204;
  long p205;
  long p206;
  long p207;
  long p208;
  long p209;
  long p210;
  long p211;
  long p212;
  long p213;
  long p214;
  long p215;
}

/**
 * The shared base of Weir's array rings: a power-of-two slot array, a logical capacity that may be
 * smaller than the array, and the producer and consumer indices with their access modes. Indices
 * are unbounded {@code long}s (they never wrap in practice), so an index identifies one message for
 * the life of the ring and no ABA is possible on them.
 *
 * <p>Thread-safety: one producer thread and one consumer thread at a time; subclasses state their
 * own protocol.
 */
abstract class RingIndices extends RingPad2 {

  /**
   * Set in {@code tail} when a multi-producer ring is closed ({@link MpscRingEdge}): a producer's
   * CAS from an unsealed tail then fails, so no index is claimed after the close. Never set in the
   * other rings; {@link #tailAcquire()} masks it, so every reader of the index sees the count.
   */
  static final long SEALED = 1L << 62;

  private static final VarHandle TAIL;
  private static final VarHandle HEAD;
  private static final VarHandle PRODUCER_LIMIT;
  private static final VarHandle HIGH_WATER_MARK;
  private static final VarHandle DELIVERED;
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Message[].class);

  /** Upper bound of the producer's look-ahead, in slots (JCTools uses the same). */
  private static final int MAX_LOOK_AHEAD = 4096;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(RingProducerFields.class, "tail", long.class);
      HEAD = lookup.findVarHandle(RingConsumerFields.class, "head", long.class);
      PRODUCER_LIMIT = lookup.findVarHandle(RingProducerFields.class, "producerLimit", long.class);
      HIGH_WATER_MARK = lookup.findVarHandle(RingProducerFields.class, "highWaterMark", long.class);
      DELIVERED = lookup.findVarHandle(RingConsumerFields.class, "delivered", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The slots. Typed {@code Message[]}, so a read needs no cast; and as {@code Message} is final,
   * the JIT can prove the array's exact class and skip the array-store check on writes.
   */
  final @Nullable Message<?>[] buffer;

  final int mask;
  final int capacity;

  /** How far ahead of {@code tail} the SPSC producer looks for room: a quarter of the capacity. */
  private final int lookAhead;

  RingIndices(int capacity) {
    if (capacity < 1 || capacity > EdgeSpec.MAX_CAPACITY) {
      throw new IllegalArgumentException(
          "capacity must be between 1 and " + EdgeSpec.MAX_CAPACITY + ", was " + capacity);
    }
    int length = capacity == 1 ? 1 : 1 << (32 - Integer.numberOfLeadingZeros(capacity - 1));
    this.buffer = new Message<?>[length];
    this.mask = buffer.length - 1;
    this.capacity = capacity;
    this.lookAhead = Math.min(capacity / 4, MAX_LOOK_AHEAD);
  }

  /** The producer index, without the {@link #SEALED} bit. */
  final long tailAcquire() {
    return (long) TAIL.getAcquire(this) & ~SEALED;
  }

  /** The producer index as stored, {@link #SEALED} bit included (multi-producer ring). */
  final long tailVolatile() {
    return (long) TAIL.getVolatile(this);
  }

  final boolean casTail(long expected, long value) {
    return TAIL.compareAndSet(this, expected, value);
  }

  /** Sets {@link #SEALED} atomically (multi-producer ring). */
  final void sealTail() {
    TAIL.getAndBitwiseOr(this, SEALED);
  }

  final long producerLimitAcquire() {
    return (long) PRODUCER_LIMIT.getAcquire(this);
  }

  final void setProducerLimitRelease(long value) {
    PRODUCER_LIMIT.setRelease(this, value);
  }

  final void setTailRelease(long value) {
    TAIL.setRelease(this, value);
  }

  final void setTailOpaque(long value) {
    TAIL.setOpaque(this, value);
  }

  final long headAcquire() {
    return (long) HEAD.getAcquire(this);
  }

  final long headVolatile() {
    return (long) HEAD.getVolatile(this);
  }

  final void setHeadRelease(long value) {
    HEAD.setRelease(this, value);
  }

  final boolean casHead(long expected, long value) {
    return HEAD.compareAndSet(this, expected, value);
  }

  final long highWaterMarkOpaque() {
    return (long) HIGH_WATER_MARK.getOpaque(this);
  }

  final void setHighWaterMarkOpaque(long value) {
    HIGH_WATER_MARK.setOpaque(this, value);
  }

  final boolean casHighWaterMark(long expected, long value) {
    return HIGH_WATER_MARK.compareAndSet(this, expected, value);
  }

  final long deliveredAcquire() {
    return (long) DELIVERED.getAcquire(this);
  }

  final void setDeliveredRelease(long value) {
    DELIVERED.setRelease(this, value);
  }

  final @Nullable Message<?> slotAcquire(long index) {
    @Nullable Message<?>[] b = buffer;
    return (Message<?>) SLOTS.getAcquire(b, (int) index & (b.length - 1));
  }

  final void setSlotRelease(long index, @Nullable Message<?> value) {
    @Nullable Message<?>[] b = buffer;
    SLOTS.setRelease(b, (int) index & (b.length - 1), value);
  }

  final boolean casSlot(long index, Message<?> expected, @Nullable Message<?> value) {
    @Nullable Message<?>[] b = buffer;
    return SLOTS.compareAndSet(b, (int) index & (b.length - 1), expected, value);
  }

  final @Nullable Message<?> getAndSetSlot(long index, Message<?> value) {
    @Nullable Message<?>[] b = buffer;
    return (Message<?>) SLOTS.getAndSet(b, (int) index & (b.length - 1), value);
  }

  /**
   * Returns the number of queued elements as seen from any thread: a snapshot that is exact when
   * neither side is active and otherwise within [0, capacity].
   */
  final int sizeAnyThread() {
    // Read head, tail, head again until head is stable, so tail and head belong to one moment
    // (JCTools' approach); then clamp for the transient states a racing producer can create.
    long h = headAcquire();
    long t;
    for (; ; ) {
      t = tailAcquire();
      long again = headAcquire();
      if (again == h) {
        break;
      }
      h = again;
    }
    long size = t - h;
    return size <= 0 ? 0 : (int) Math.min(size, capacity);
  }

  // --- the single-producer single-consumer protocol (Lamport's ring with cached indices) ---

  /**
   * Producer side of the SPSC protocol: stores {@code e} and publishes it, or returns false when
   * {@code capacity} elements are queued. Wait-free.
   */
  final boolean spscOffer(Message<?> e) {
    long t = tail;
    if (t - headCache >= capacity) {
      // acquire: pairs with setHeadRelease in spscPoll, so the consumer's null store to the slot
      // we are about to reuse happens-before our write to it.
      headCache = headAcquire();
      if (t - headCache >= capacity) {
        return false;
      }
    }
    buffer[(int) t & mask] = e;
    // release: the slot write above becomes visible no later than the new tail.
    setTailRelease(t + 1);
    return true;
  }

  /**
   * Consumer side of the SPSC protocol: takes the oldest element, or null if empty. Wait-free.
   * Reads the producer's tail on every call: this is the CONTROL lane, empty nearly always, where a
   * cached tail would only add a load and a compare to the empty case (the tail's line is not
   * written while the lane is idle, so the read hits the local cache).
   */
  final @Nullable Message<?> spscPoll() {
    long h = head;
    // acquire: pairs with setTailRelease in spscOffer; the slot write is visible after this.
    if (h >= tailAcquire()) {
      return null;
    }
    return spscTake(h);
  }

  /**
   * Consumer side: refreshes {@code tailCache} if the consumer has caught up with it. The LATEST
   * and COALESCE edges call this once per poll, before they look at their CONTROL lane, and then
   * take DATA only below {@code tailCache}: every DATA message they can take was published before
   * the CONTROL lane was checked, so a CONTROL message offered before it is seen first. (A COALESCE
   * edge also checks the lane after reading the slot, as a merge changes a published message.)
   */
  final void refreshTailCache(long h) {
    if (h >= tailCache) {
      // acquire: pairs with the producer's release store of tail.
      tailCache = tailAcquire();
    }
  }

  private @Nullable Message<?> spscTake(long h) {
    int slot = (int) h & mask;
    Message<?> e = buffer[slot];
    buffer[slot] = null;
    // release: the read and the null store above happen-before the producer reuses the slot.
    setHeadRelease(h + 1);
    return e;
  }

  // --- the slot-signalled single-producer single-consumer protocol (SpscRingEdge's DATA ring) ---

  /**
   * Producer side, slow path of the slot-signalled protocol: called when {@code t >= roomLimit}.
   * Looks for proof that index {@code t} (and, better, the next {@code lookAhead} indices) may be
   * written, raises {@code roomLimit} accordingly and returns true; returns false when the ring
   * holds {@code capacity} messages.
   *
   * <p>The proof is an empty slot: the consumer nulls the slot of index {@code j} when it takes
   * {@code j}, and takes in order, so seeing the slot of a written index {@code j} empty means
   * {@code head > j}, and every index up to {@code j + capacity} keeps the depth within capacity.
   * The slot of {@code j} can only hold message {@code j} or null: {@code j < t} was written by
   * this producer, and the next index sharing the slot, {@code j + buffer.length >= j + capacity},
   * is not written yet. An index {@code j < 0} is trivially consumed.
   */
  final boolean raiseRoomLimit(long t) {
    long ahead = t + lookAhead - capacity; // < t, because lookAhead <= capacity / 4
    // acquire: pairs with the consumer's release store of null in the slot; everything the consumer
    // did before (its reads of the slots we are about to reuse) happens-before our writes.
    if (lookAhead > 0 && (ahead < 0 || slotAcquire(ahead) == null)) {
      roomLimit = t + lookAhead + 1;
      headCache = Math.max(headCache, ahead + 1);
      return true;
    }
    long oldest = t - capacity;
    // acquire: as above.
    if (oldest < 0 || slotAcquire(oldest) == null) {
      roomLimit = t + 1;
      headCache = Math.max(headCache, oldest + 1);
      return true;
    }
    return false;
  }

  /**
   * Producer side, after a write made {@code tail} equal to {@code t1}: raises the high-water mark
   * if the depth exceeds it. The depth is exact at one moment after the write: {@code t1 - head},
   * where head counts a message the consumer has taken (its slot is null) but not yet published in
   * {@code head} (the consumers of every ring clear or take the slot before they publish head).
   * Cheap when the depth cannot exceed the mark: {@code headCache} is a lower bound of head, so
   * {@code t1 - headCache} is an upper bound of the depth, and only a bound above the mark reads
   * the consumer's index.
   */
  final void onAccepted(long t1) {
    if (t1 - headCache > highWaterMark) {
      raiseHighWaterMark(t1);
    }
  }

  private void raiseHighWaterMark(long t1) {
    // acquire: pairs with the consumer's release store of head; a slot it cleared before is seen.
    long h = headAcquire();
    if (h < t1 && slotAcquire(h) == null) {
      // Message h was taken: its slot holds message h until then (h + buffer.length > t1 - 1 is
      // not written), and the consumer clears a slot before publishing the head past it.
      h++;
    }
    headCache = Math.max(headCache, h);
    long depth = Math.min(capacity, t1 - h);
    if (depth > highWaterMark) {
      setHighWaterMarkOpaque(depth);
    }
  }

  /** Producer-side remaining room under the SPSC protocol: exact or an underestimate. */
  final int spscRemaining() {
    long used = tail - headAcquire();
    return (int) Math.max(0, capacity - used);
  }
}
