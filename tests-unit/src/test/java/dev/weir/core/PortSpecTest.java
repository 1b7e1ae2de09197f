package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PortSpecTest {

  @ParameterizedTest
  @ValueSource(strings = {"in", "out", "IN_2", "left-side", "0", "a_b-C9"})
  void of_validName_keepsName(String name) {
    assertThat(PortSpec.of(name, String.class).name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a.b", "a b", "in/out", "é", "port!", "tab\t"})
  void of_invalidName_isRejectedNamingTheNameAndTheRule(String name) {
    assertThatThrownBy(() -> PortSpec.of(name, String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + name + "'")
        .hasMessageContaining("letters, digits");
  }

  @Test
  void of_nullNameOrType_isRejected() {
    assertThatThrownBy(() -> PortSpec.of(null, String.class))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> PortSpec.of("in", null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void of_primitiveType_isBoxed() {
    assertThat(PortSpec.of("p", int.class).type()).isEqualTo(Integer.class);
    assertThat(PortSpec.of("p", long.class).type()).isEqualTo(Long.class);
    assertThat(PortSpec.of("p", double.class).type()).isEqualTo(Double.class);
    assertThat(PortSpec.of("p", boolean.class).type()).isEqualTo(Boolean.class);
    assertThat(PortSpec.of("p", float.class).type()).isEqualTo(Float.class);
    assertThat(PortSpec.of("p", short.class).type()).isEqualTo(Short.class);
    assertThat(PortSpec.of("p", byte.class).type()).isEqualTo(Byte.class);
    assertThat(PortSpec.of("p", char.class).type()).isEqualTo(Character.class);
    assertThat(PortSpec.of("p", long.class)).isEqualTo(PortSpec.of("p", Long.class));
  }

  @Test
  void of_voidType_isRejected() {
    assertThatThrownBy(() -> PortSpec.of("p", void.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("void");
  }

  @Test
  void of_default_isRequiredWithoutValidator() {
    PortSpec<String> port = PortSpec.of("in", String.class);

    assertThat(port.isRequired()).isTrue();
    assertThat(port.validator()).isNull();
    assertThat(port.optional().isRequired()).isFalse();
    assertThat(port.isRequired()).isTrue();
  }

  @Test
  void canReceiveFrom_assignableTypes_followsJavaAssignability() {
    PortSpec<Object> anything = PortSpec.of("in", Object.class);
    PortSpec<Number> numbers = PortSpec.of("in", Number.class);
    PortSpec<Integer> ints = PortSpec.of("out", Integer.class);
    PortSpec<Integer> primitiveInts = PortSpec.of("out", int.class);
    PortSpec<String> strings = PortSpec.of("out", String.class);
    PortSpec<CharSequence> chars = PortSpec.of("in", CharSequence.class);

    assertThat(anything.canReceiveFrom(strings)).isTrue();
    assertThat(numbers.canReceiveFrom(ints)).isTrue();
    assertThat(numbers.canReceiveFrom(primitiveInts)).isTrue();
    assertThat(chars.canReceiveFrom(strings)).isTrue();
    assertThat(ints.canReceiveFrom(numbers)).isFalse();
    assertThat(numbers.canReceiveFrom(strings)).isFalse();
    assertThat(strings.canReceiveFrom(anything)).isFalse();
  }

  @Test
  void check_wrongType_namesBothTypesAndThePort() {
    PortSpec<String> port = PortSpec.of("words", String.class);

    String problem = port.check(42);

    assertThat(problem)
        .contains("java.lang.Integer")
        .contains("java.lang.String")
        .contains("'words'");
  }

  @Test
  void check_rightTypeWithoutValidator_returnsNull() {
    assertThat(PortSpec.of("n", Number.class).check(42L)).isNull();
  }

  @Test
  void check_validatorRejects_returnsItsReasonWithThePortName() {
    PortSpec<String> port =
        PortSpec.of("words", String.class).withValidator(s -> s.isEmpty() ? "empty word" : null);

    assertThat(port.check("ok")).isNull();
    assertThat(port.check(""))
        .isEqualTo("payload rejected by the validator of port 'words': empty word");
  }

  @Test
  void check_validatorThrows_returnsTheExceptionAsReason() {
    PortSpec<String> port =
        PortSpec.of("words", String.class)
            .withValidator(
                s -> {
                  throw new IllegalStateException("validator broke");
                });

    assertThat(port.check("x"))
        .contains("'words'")
        .contains("validator threw")
        .contains("IllegalStateException")
        .contains("validator broke");
  }

  @Test
  void check_wrongType_neverCallsTheValidator() {
    List<Object> seen = new ArrayList<>();
    PortSpec<String> port =
        PortSpec.of("words", String.class)
            .withValidator(
                s -> {
                  seen.add(s);
                  return null;
                });

    assertThat(port.check(1)).isNotNull();
    assertThat(seen).isEmpty();
  }

  @Test
  void withValidator_always_returnsCopyThatKeepsNameTypeAndRequired() {
    PortSpec<String> optional = PortSpec.of("in", String.class).optional();

    PortSpec<String> validated = optional.withValidator(s -> null);

    assertThat(validated).isNotSameAs(optional);
    assertThat(validated.validator()).isNotNull();
    assertThat(optional.validator()).isNull();
    assertThat(validated.isRequired()).isFalse();
    assertThat(validated.name()).isEqualTo("in");
    assertThat(validated.type()).isEqualTo(String.class);
    assertThat(validated.optional().validator()).isSameAs(validated.validator());
  }

  @Test
  void cast_matchingPayload_returnsSameMessage() {
    PortSpec<Number> port = PortSpec.of("n", Number.class);
    Message<?> message = Message.of(7);

    Message<Number> typed = port.cast(message);

    assertThat(typed).isSameAs(message);
    assertThat(typed.payload()).isEqualTo(7);
  }

  @Test
  void cast_wrongPayload_throwsNamingPortAndTypes() {
    PortSpec<Number> port = PortSpec.of("numbers", Number.class);

    assertThatThrownBy(() -> port.cast(Message.of("seven")))
        .isInstanceOf(ClassCastException.class)
        .hasMessageContaining("'numbers'")
        .hasMessageContaining("java.lang.Number")
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void equals_sameNameTypeAndRequired_areEqualWhateverTheValidator() {
    PortSpec<String> plain = PortSpec.of("in", String.class);
    PortSpec<String> validated = plain.withValidator(s -> null);

    assertThat(plain).isEqualTo(validated).hasSameHashCodeAs(validated);
    assertThat(plain).isNotEqualTo(plain.optional());
    assertThat(plain).isNotEqualTo(PortSpec.of("in", CharSequence.class));
    assertThat(plain).isNotEqualTo(PortSpec.of("out", String.class));
  }

  @Test
  void hashCode_differentPorts_spreadOverDifferentCodes() {
    java.util.Set<Integer> codes = new java.util.HashSet<>();
    for (int i = 0; i < 100; i++) {
      codes.add(PortSpec.of("in" + i, String.class).hashCode());
    }

    assertThat(codes).hasSizeGreaterThan(90);
  }

  @Test
  void toString_always_showsNameSimpleTypeAndOptionality() {
    assertThat(PortSpec.of("in", String.class)).hasToString("in:String");
    assertThat(PortSpec.of("in", long.class).optional()).hasToString("in:Long?");
  }
}
