package dev.weir.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Immutable string key/value metadata carried by a {@link Message}. Keys are normalized to lower
 * case ({@link Locale#ROOT}), so {@code "Tenant"} and {@code "tenant"} name the same header. Every
 * "with" method returns a new instance and leaves this one untouched.
 *
 * <p>Headers are stored as a sorted array of pairs: small, cheap to copy, and the empty instance is
 * shared, so a message without headers costs no allocation for them.
 *
 * <p>Thread-safety: immutable; safe to share between threads.
 */
public final class Headers {

  private static final Headers EMPTY = new Headers(new String[0]);

  /** Sorted by key: keys at even indices, their values at the following odd index. */
  private final String[] pairs;

  private Headers(String[] pairs) {
    this.pairs = pairs;
  }

  /**
   * Returns the empty headers.
   *
   * @return the shared empty instance
   */
  public static Headers empty() {
    return EMPTY;
  }

  /**
   * Returns headers holding one entry.
   *
   * @param key the header name; normalized to lower case
   * @param value the header value
   * @return new headers
   * @throws IllegalArgumentException if the key is blank
   */
  public static Headers of(String key, String value) {
    return EMPTY.with(key, value);
  }

  /**
   * Returns headers holding the entries of a map; later keys that normalize to an earlier one
   * replace it.
   *
   * @param entries the entries to copy
   * @return new headers
   * @throws IllegalArgumentException if a key is blank
   */
  public static Headers of(Map<String, String> entries) {
    Headers result = EMPTY;
    for (Map.Entry<String, String> entry : entries.entrySet()) {
      result = result.with(entry.getKey(), entry.getValue());
    }
    return result;
  }

  /**
   * Returns a copy with one entry added or replaced.
   *
   * @param key the header name; normalized to lower case
   * @param value the header value
   * @return a new instance; this one is unchanged
   * @throws IllegalArgumentException if the key is blank
   */
  public Headers with(String key, String value) {
    Objects.requireNonNull(value, "value");
    String normalized = normalize(key);
    int index = indexOf(normalized);
    if (index >= 0) {
      if (pairs[index + 1].equals(value)) {
        return this;
      }
      String[] copy = pairs.clone();
      copy[index + 1] = value;
      return new Headers(copy);
    }
    int insertAt = -(index + 1);
    String[] copy = new String[pairs.length + 2];
    System.arraycopy(pairs, 0, copy, 0, insertAt);
    copy[insertAt] = normalized;
    copy[insertAt + 1] = value;
    System.arraycopy(pairs, insertAt, copy, insertAt + 2, pairs.length - insertAt);
    return new Headers(copy);
  }

  /**
   * Returns a copy with every entry of {@code other} added, replacing entries of the same key.
   *
   * @param other the headers to add
   * @return a new instance, or this one if {@code other} is empty
   */
  public Headers withAll(Headers other) {
    Headers result = this;
    for (int i = 0; i < other.pairs.length; i += 2) {
      result = result.with(other.pairs[i], other.pairs[i + 1]);
    }
    return result;
  }

  /**
   * Returns a copy without the given key.
   *
   * @param key the header name; normalized to lower case
   * @return a new instance, or this one if the key is absent
   */
  public Headers without(String key) {
    int index = indexOf(normalize(key));
    if (index < 0) {
      return this;
    }
    String[] copy = new String[pairs.length - 2];
    System.arraycopy(pairs, 0, copy, 0, index);
    System.arraycopy(pairs, index + 2, copy, index, pairs.length - index - 2);
    return new Headers(copy);
  }

  /**
   * Returns the value of a header.
   *
   * @param key the header name, in any case
   * @return the value, or {@code null} if absent
   */
  public @Nullable String get(String key) {
    int index = indexOf(normalize(key));
    return index >= 0 ? pairs[index + 1] : null;
  }

  /**
   * Returns whether a header is present.
   *
   * @param key the header name, in any case
   * @return whether a value is present for it
   */
  public boolean contains(String key) {
    return indexOf(normalize(key)) >= 0;
  }

  /**
   * Returns the number of entries.
   *
   * @return the entry count
   */
  public int size() {
    return pairs.length / 2;
  }

  /**
   * Returns whether there are no entries.
   *
   * @return whether this is empty
   */
  public boolean isEmpty() {
    return pairs.length == 0;
  }

  /**
   * Returns the entries as an unmodifiable map ordered by key.
   *
   * @return a new unmodifiable map
   */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  private int indexOf(String normalizedKey) {
    int low = 0;
    int high = pairs.length / 2 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int cmp = pairs[mid * 2].compareTo(normalizedKey);
      if (cmp < 0) {
        low = mid + 1;
      } else if (cmp > 0) {
        high = mid - 1;
      } else {
        return mid * 2;
      }
    }
    return -(low * 2 + 1);
  }

  private static String normalize(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("header key must not be blank");
    }
    return key.toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Headers other && Arrays.equals(pairs, other.pairs);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(pairs);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(pairs[i]).append('=').append(pairs[i + 1]);
    }
    return sb.append('}').toString();
  }
}
