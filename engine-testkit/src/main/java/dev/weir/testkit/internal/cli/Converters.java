package dev.weir.testkit.internal.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The command's option converters: each rejects a bad value with the allowed ones (picocli then
 * names the option and exits 2).
 *
 * <p>Thread-safety: stateless.
 */
final class Converters {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Converters() {}

  /** {@code --category}. */
  static final class CategoryConverter implements ITypeConverter<Category> {
    @Override
    public Category convert(String value) {
      return Category.parse(value);
    }
  }

  /** {@code --intensity}. */
  static final class IntensityConverter implements ITypeConverter<Intensity> {
    @Override
    public Intensity convert(String value) {
      return Intensity.parse(value);
    }
  }

  /** {@code --plant}. */
  static final class PlantConverter implements ITypeConverter<Plant> {
    @Override
    public Plant convert(String value) {
      return Plant.parse(value);
    }
  }

  /** {@code --report-level}. */
  static final class LevelConverter implements ITypeConverter<WeirStress.Level> {
    @Override
    public WeirStress.Level convert(String value) {
      return Labels.parse(WeirStress.Level.class, value, l -> l.name().toLowerCase(Locale.ROOT));
    }
  }

  /** {@code --report-level}'s values in the usage help. */
  static final class LevelLabels extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    LevelLabels() {
      for (WeirStress.Level l : WeirStress.Level.values()) {
        add(l.name().toLowerCase(Locale.ROOT));
      }
    }
  }

  /** {@code --duration}: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h} or ISO-8601. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Matcher m = DURATION.matcher(value);
      Duration d = null;
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d =
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              default -> Duration.ofHours(n);
            };
      } else {
        try {
          d = Duration.parse(value);
        } catch (DateTimeParseException e) {
          d = null;
        }
      }
      if (d == null || d.isZero() || d.isNegative()) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not a positive duration: a whole number with ms, s, m or h, e.g. 500ms,"
                + " 30s, 10m, 1h");
      }
      return d;
    }
  }
}
