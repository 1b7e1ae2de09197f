package dev.weir.testkit.internal.cli;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses an option's value into one of an enum's command-line names.
 *
 * <p>Thread-safety: stateless.
 */
final class Labels {

  private Labels() {}

  /** The constant labelled {@code text}; a message with the allowed labels otherwise. */
  static <E extends Enum<E>> E parse(Class<E> type, String text, Function<E, String> label) {
    for (E e : type.getEnumConstants()) {
      if (label.apply(e).equals(text)) {
        return e;
      }
    }
    throw new TypeConversionException(
        "'"
            + text
            + "' is not one of "
            + Arrays.stream(type.getEnumConstants()).map(label).collect(Collectors.joining(", ")));
  }
}
