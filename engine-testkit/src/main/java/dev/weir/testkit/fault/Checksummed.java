package dev.weir.testkit.fault;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A payload sealed with a checksum of its value, taken where it enters the graph; a {@link
 * ChecksumVerifier} at the sink recomputes it. The checksum is a CRC-32C of the value's {@code
 * toString()}, so the value must show its contents there (records do) and be immutable.
 *
 * <p>Thread-safety: immutable if the value is.
 *
 * @param <T> the value type
 */
public final class Checksummed<T> {

  private final T value;
  private final long checksum;

  private Checksummed(T value, long checksum) {
    this.value = value;
    this.checksum = checksum;
  }

  /**
   * Seals a value.
   *
   * @param value the value; never null
   * @param <T> the value type
   * @return the value with its checksum
   */
  public static <T> Checksummed<T> of(T value) {
    Objects.requireNonNull(value, "value");
    return new Checksummed<>(value, checksumOf(value));
  }

  /** A corrupted copy: another value under the original's checksum. */
  static <T> Checksummed<T> tampered(T value, Checksummed<?> original) {
    return new Checksummed<>(value, original.checksum);
  }

  /**
   * Returns the value.
   *
   * @return the value, possibly corrupted on its way
   */
  public T value() {
    return value;
  }

  /**
   * Returns the checksum taken when the value was sealed.
   *
   * @return the CRC-32C of the sealed value's {@code toString()}
   */
  public long checksum() {
    return checksum;
  }

  /**
   * Returns whether the value still matches its checksum.
   *
   * @return {@code false} if the value changed since it was sealed
   */
  public boolean intact() {
    return checksumOf(value) == checksum;
  }

  @Override
  public String toString() {
    return value + "#" + Long.toHexString(checksum);
  }

  private static long checksumOf(Object value) {
    CRC32C crc = new CRC32C();
    crc.update(value.toString().getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
