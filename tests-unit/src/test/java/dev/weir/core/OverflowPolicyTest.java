package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.BinaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OverflowPolicyTest {

  @Test
  void constants_always_haveTheirKindAndNoFunctions() {
    assertThat(OverflowPolicy.BLOCK.kind()).isEqualTo(OverflowPolicy.Kind.BLOCK);
    assertThat(OverflowPolicy.DROP.kind()).isEqualTo(OverflowPolicy.Kind.DROP);
    assertThat(OverflowPolicy.LATEST.kind()).isEqualTo(OverflowPolicy.Kind.LATEST);
    assertThat(OverflowPolicy.FAIL.kind()).isEqualTo(OverflowPolicy.Kind.FAIL);
    for (OverflowPolicy p :
        new OverflowPolicy[] {
          OverflowPolicy.BLOCK, OverflowPolicy.DROP, OverflowPolicy.LATEST, OverflowPolicy.FAIL
        }) {
      assertThat(p.merge()).as("%s merge", p).isNull();
      assertThat(p.key()).as("%s key", p).isNull();
      assertThat(p.fallback()).as("%s fallback", p).isNull();
    }
  }

  @Test
  void isLossy_onlyDropAndLatest_areLossy() {
    assertThat(OverflowPolicy.DROP.isLossy()).isTrue();
    assertThat(OverflowPolicy.LATEST.isLossy()).isTrue();
    assertThat(OverflowPolicy.BLOCK.isLossy()).isFalse();
    assertThat(OverflowPolicy.FAIL.isLossy()).isFalse();
    assertThat(OverflowPolicy.coalesce((Long a, Long b) -> a + b).isLossy()).isFalse();
  }

  @Test
  void isLossy_keyedCoalesce_followsItsFallback() {
    BinaryOperator<Long> sum = Long::sum;
    Function<Long, Long> parity = x -> x % 2;

    assertThat(OverflowPolicy.coalesce(sum, parity).isLossy()).isFalse();
    assertThat(OverflowPolicy.coalesce(sum, parity, OverflowPolicy.BLOCK).isLossy()).isFalse();
    assertThat(OverflowPolicy.coalesce(sum, parity, OverflowPolicy.DROP).isLossy()).isTrue();
    assertThat(OverflowPolicy.coalesce(sum, parity, OverflowPolicy.LATEST).isLossy()).isTrue();
  }

  @Test
  void coalesce_unkeyed_keepsTheMergeAndHasNoKey() {
    BinaryOperator<Long> sum = Long::sum;

    OverflowPolicy policy = OverflowPolicy.coalesce(sum);

    assertThat(policy.kind()).isEqualTo(OverflowPolicy.Kind.COALESCE);
    assertThat(policy.merge()).isSameAs(sum);
    assertThat(policy.key()).isNull();
    assertThat(policy.fallback()).isNull();
    assertThat(policy).hasToString("COALESCE");
  }

  @Test
  void coalesce_keyed_keepsMergeAndKey() {
    BinaryOperator<String> concat = String::concat;
    Function<String, Integer> length = String::length;

    OverflowPolicy policy = OverflowPolicy.coalesce(concat, length);

    assertThat(policy.merge()).isSameAs(concat);
    assertThat(policy.key()).isSameAs(length);
    assertThat(policy.fallback()).isSameAs(OverflowPolicy.BLOCK);
    assertThat(policy).hasToString("COALESCE(keyed, fallback BLOCK)");
  }

  @Test
  void coalesce_keyedWithAFallback_keepsIt() {
    BinaryOperator<String> concat = String::concat;
    Function<String, Integer> length = String::length;

    OverflowPolicy latest = OverflowPolicy.coalesce(concat, length, OverflowPolicy.LATEST);
    OverflowPolicy drop = OverflowPolicy.coalesce(concat, length, OverflowPolicy.DROP);

    assertThat(latest.fallback()).isSameAs(OverflowPolicy.LATEST);
    assertThat(latest).hasToString("COALESCE(keyed, fallback LATEST)");
    assertThat(drop.fallback()).isSameAs(OverflowPolicy.DROP);
    assertThat(drop).hasToString("COALESCE(keyed, fallback DROP)");
  }

  @Test
  void coalesce_keyedWithAnotherFallback_isRejectedNamingTheAllowedOnes() {
    BinaryOperator<String> concat = String::concat;
    Function<String, Integer> length = String::length;

    for (OverflowPolicy wrong :
        new OverflowPolicy[] {OverflowPolicy.FAIL, OverflowPolicy.coalesce(concat, length)}) {
      assertThatThrownBy(() -> OverflowPolicy.coalesce(concat, length, wrong))
          .as("fallback %s", wrong)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("BLOCK, LATEST or DROP")
          .hasMessageContaining(wrong.toString());
    }
    assertThatThrownBy(() -> OverflowPolicy.coalesce(concat, length, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("fallback");
  }

  @Test
  void coalesce_nullFunctions_areRejected() {
    assertThatThrownBy(() -> OverflowPolicy.coalesce(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("merge");
    assertThatThrownBy(() -> OverflowPolicy.coalesce((String a, String b) -> a, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("key");
  }

  @Test
  void toString_constants_areTheirNames() {
    assertThat(OverflowPolicy.BLOCK).hasToString("BLOCK");
    assertThat(OverflowPolicy.DROP).hasToString("DROP");
    assertThat(OverflowPolicy.LATEST).hasToString("LATEST");
    assertThat(OverflowPolicy.FAIL).hasToString("FAIL");
  }
}
