package dev.weir.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README honest: its embedding example is the code between the README markers of {@link
 * QuickStart}, and its documented output is what {@link QuickStart} prints.
 */
class QuickStartTest {

  private static final Path README = Path.of("..", "README.md");

  @Test
  void run_printsTheOutputDocumentedInTheReadme() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      QuickStart.run(out);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8).strip();

    assertThat(printed).contains("sum of the even multiples of 3 up to 3,000,000: 750001500000");
    assertThat(printed).contains("messages summed: 500000");
    assertThat(printed).contains("control messages seen: [checkpoint]");
    assertThat(printed).contains("shutdown: clean, undelivered: 0, dead letters: 0");
    assertThat(printed).endsWith("ledger: balanced");
    assertThat(normalize(printed)).isEqualTo(normalize(readmeBlock("output")));
  }

  @Test
  void readmeExample_isTheCodeThatRuns() throws IOException {
    String source = Files.readString(Path.of("src/main/java/dev/weir/examples/QuickStart.java"));
    Matcher m =
        Pattern.compile("// README:begin\\n(.*?)\\n\\s*// README:end", Pattern.DOTALL)
            .matcher(source);
    assertThat(m.find()).as("README markers in QuickStart.java").isTrue();
    assertThat(normalize(readmeBlock("java"))).contains(normalize(m.group(1)));
  }

  /** The first fenced block of the given info string after the "Embedding" heading. */
  private static String readmeBlock(String info) throws IOException {
    String readme = Files.readString(README);
    int section = readme.indexOf("## Embedding");
    assertThat(section).as("README has an '## Embedding' section").isNotNegative();
    Matcher m =
        Pattern.compile("```" + info + "\\n(.*?)```", Pattern.DOTALL)
            .matcher(readme.substring(section));
    assertThat(m.find()).as("README has a ```" + info + " block under Embedding").isTrue();
    return m.group(1);
  }

  private static String normalize(String text) {
    return text.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .reduce((a, b) -> a + "\n" + b)
        .orElse("");
  }
}
