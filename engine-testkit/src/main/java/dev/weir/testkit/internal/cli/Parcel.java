package dev.weir.testkit.internal.cli;

import java.util.zip.CRC32C;

/**
 * What the built-in graphs carry: a unique id (for the ledger), the stream that sent it and its
 * number in that stream (for the FIFO check), a value and an optional body, sealed by a checksum
 * over id, sequence, value and body (for the corruption check), and the intended start of the open
 * load's operation it belongs to ({@link #NOT_TIMED} outside a load; not sealed).
 *
 * <p>Thread-safety: immutable after construction; the body is never written after sealing.
 */
final class Parcel {

  /** The intended start of a parcel that belongs to no load operation. */
  static final long NOT_TIMED = Long.MIN_VALUE;

  private final long id;
  private final String stream;
  private final long seq;
  private final long value;
  private final byte[] body;
  private final long checksum;
  private final long intendedStartNanos;

  private Parcel(
      long id, String stream, long seq, long value, byte[] body, long checksum, long intended) {
    this.id = id;
    this.stream = stream;
    this.seq = seq;
    this.value = value;
    this.body = body;
    this.checksum = checksum;
    this.intendedStartNanos = intended;
  }

  /** A sealed parcel. */
  static Parcel of(long id, String stream, long seq, long value, int bodyBytes, long intended) {
    byte[] body = new byte[bodyBytes];
    if (bodyBytes > 0) {
      body[0] = (byte) value;
      body[bodyBytes - 1] = (byte) (value >>> 8);
    }
    return new Parcel(id, stream, seq, value, body, sum(id, seq, value, body), intended);
  }

  long id() {
    return id;
  }

  String stream() {
    return stream;
  }

  long seq() {
    return seq;
  }

  long value() {
    return value;
  }

  int bodyBytes() {
    return body.length;
  }

  long intendedStartNanos() {
    return intendedStartNanos;
  }

  /** Whether the checksum still matches what it seals. */
  boolean intact() {
    return checksum == sum(id, seq, value, body);
  }

  /** A copy with one bit of the value flipped and the old checksum: a corrupted payload. */
  Parcel corrupted() {
    return new Parcel(id, stream, seq, value ^ 1, body, checksum, intendedStartNanos);
  }

  private static long sum(long id, long seq, long value, byte[] body) {
    CRC32C crc = new CRC32C();
    for (long v : new long[] {id, seq, value}) {
      for (int i = 0; i < 8; i++) {
        crc.update((int) (v >>> (8 * i)));
      }
    }
    crc.update(body);
    return crc.getValue();
  }

  @Override
  public String toString() {
    return "Parcel[id=" + id + ", stream=" + stream + ", seq=" + seq + "]";
  }
}
