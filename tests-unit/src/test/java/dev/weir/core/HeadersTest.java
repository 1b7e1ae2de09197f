package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadersTest {

  @Test
  void empty_always_isSharedAndEmpty() {
    assertThat(Headers.empty()).isSameAs(Headers.empty());
    assertThat(Headers.empty().isEmpty()).isTrue();
    assertThat(Headers.empty().size()).isZero();
    assertThat(Headers.empty().asMap()).isEmpty();
    assertThat(Headers.empty()).hasToString("{}");
  }

  @Test
  void with_mixedCaseKey_storesLowerCaseAndFindsAnyCase() {
    Headers headers = Headers.of("Tenant-ID", "acme");

    assertThat(headers.asMap()).containsExactly(Map.entry("tenant-id", "acme"));
    assertThat(headers.get("TENANT-ID")).isEqualTo("acme");
    assertThat(headers.get("tenant-id")).isEqualTo("acme");
    assertThat(headers.contains("Tenant-Id")).isTrue();
    assertThat(headers.get("other")).isNull();
    assertThat(headers.contains("other")).isFalse();
  }

  @Test
  void with_defaultLocaleTurkish_stillLowerCasesWithRootLocale() {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    try {
      // Under tr-TR, "TITLE".toLowerCase() is "tıtle" (dotless i); keys must not depend on that.
      assertThat(Headers.of("TITLE", "x").asMap()).containsOnlyKeys("title");
      assertThat(Headers.of("title", "x").get("TITLE")).isEqualTo("x");
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void with_keysThatDifferOnlyInCase_replaceEachOther() {
    Headers headers = Headers.empty().with("Trace", "1").with("TRACE", "2").with("trace", "3");

    assertThat(headers.size()).isEqualTo(1);
    assertThat(headers.get("trace")).isEqualTo("3");
  }

  @Test
  void with_always_returnsCopyAndLeavesOriginalUnchanged() {
    Headers original = Headers.of("a", "1");

    Headers added = original.with("b", "2");
    Headers replaced = original.with("A", "9");

    assertThat(original.asMap()).containsExactly(Map.entry("a", "1"));
    assertThat(added.asMap()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThat(replaced.asMap()).containsExactly(Map.entry("a", "9"));
    assertThat(added).isNotSameAs(original);
    assertThat(replaced).isNotSameAs(original);
  }

  @Test
  void with_sameValue_returnsSameInstance() {
    Headers headers = Headers.of("a", "1");

    assertThat(headers.with("A", "1")).isSameAs(headers);
  }

  @Test
  void with_blankOrNullKey_isRejected() {
    assertThatThrownBy(() -> Headers.of(" ", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> Headers.of("", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Headers.empty().with(null, "x"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Headers.empty().with("k", null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void asMap_always_isSortedByKeyAndUnmodifiable() {
    Headers headers = Headers.empty().with("c", "3").with("A", "1").with("b", "2");

    Map<String, String> map = headers.asMap();

    assertThat(map).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3"));
    assertThatThrownBy(() -> map.put("d", "4")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(headers).hasToString("{a=1, b=2, c=3}");
  }

  @Test
  void ofMap_keysThatNormalizeAlike_laterReplacesEarlier() {
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("Key", "first");
    entries.put("KEY", "second");
    entries.put("other", "x");

    Headers headers = Headers.of(entries);

    assertThat(headers.asMap())
        .containsExactly(Map.entry("key", "second"), Map.entry("other", "x"));
  }

  @Test
  void without_presentKeyInAnyCase_removesOnlyThatKey() {
    Headers headers = Headers.empty().with("a", "1").with("b", "2").with("c", "3");

    Headers removed = headers.without("B");

    assertThat(removed.asMap()).containsExactly(Map.entry("a", "1"), Map.entry("c", "3"));
    assertThat(headers.size()).isEqualTo(3);
    assertThat(headers.without("a").without("c").without("b")).isEqualTo(Headers.empty());
  }

  @Test
  void without_absentKey_returnsSameInstance() {
    Headers headers = Headers.of("a", "1");

    assertThat(headers.without("zz")).isSameAs(headers);
  }

  @Test
  void withAll_overlappingKeys_otherWins() {
    Headers base = Headers.empty().with("a", "1").with("b", "2");
    Headers other = Headers.empty().with("B", "20").with("c", "30");

    Headers merged = base.withAll(other);

    assertThat(merged.asMap())
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "20"), Map.entry("c", "30"));
    assertThat(base.asMap()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThat(base.withAll(Headers.empty())).isSameAs(base);
  }

  @Test
  void equals_sameEntriesBuiltInAnyOrderOrCase_areEqualWithEqualHashCodes() {
    Headers one = Headers.empty().with("x", "1").with("Y", "2");
    Headers two = Headers.empty().with("y", "2").with("X", "1");

    assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
    assertThat(one).isNotEqualTo(two.with("y", "3"));
    assertThat(one).isNotEqualTo(two.without("x"));
    assertThat(one).isNotEqualTo("{x=1, y=2}");
  }

  @Test
  void hashCode_differentEntries_spreadOverDifferentCodes() {
    // Headers key hash maps and sets (dead-letter grouping, caches): a constant hash would work
    // but degrade every such map to a list.
    java.util.Set<Integer> codes = new java.util.HashSet<>();
    for (int i = 0; i < 100; i++) {
      codes.add(Headers.of("k", "v" + i).hashCode());
    }

    assertThat(codes).hasSizeGreaterThan(90);
  }

  @Test
  void equals_valuesDifferInCase_areNotEqual() {
    assertThat(Headers.of("k", "Value")).isNotEqualTo(Headers.of("k", "value"));
  }

  @Test
  void with_manyKeys_findsEveryOne() {
    Headers headers = Headers.empty();
    for (int i = 99; i >= 0; i--) {
      headers = headers.with("key-" + i, "v" + i);
    }

    assertThat(headers.size()).isEqualTo(100);
    for (int i = 0; i < 100; i++) {
      assertThat(headers.get("KEY-" + i)).isEqualTo("v" + i);
    }
  }
}
