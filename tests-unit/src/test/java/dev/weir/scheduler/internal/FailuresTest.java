package dev.weir.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Which throwables from a hook the runtime absorbs (through the error policy) and which it lets
 * out.
 */
class FailuresTest {

  @Test
  void isFatal_jvmInTrouble_isFatal() {
    assertThat(Failures.isFatal(new OutOfMemoryError())).isTrue();
    assertThat(Failures.isFatal(new InternalError())).isTrue();
    assertThat(Failures.isFatal(new UnknownError())).isTrue();
  }

  @Test
  void isFatal_userCodeFailures_areNotFatal() {
    // A recursion bug in a hook is the node's failure, not the JVM's: its error policy handles it.
    assertThat(Failures.isFatal(new StackOverflowError())).isFalse();
    assertThat(Failures.isFatal(new AssertionError("test assertion in a hook"))).isFalse();
    assertThat(Failures.isFatal(new IllegalStateException())).isFalse();
    assertThat(Failures.isFatal(new Exception("checked"))).isFalse();
  }
}
