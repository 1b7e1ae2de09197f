package dev.weir.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the commands of the user-facing pages: {@code README.md}, then {@code docs/*.md} by name.
 *
 * <ul>
 *   <li>In a fence marked {@code verbatim-checked} (an info string such as {@code shell
 *       verbatim-checked}), every line is a command, except blank lines and {@code #} comments; a
 *       comment {@code # prints: TEXT} says that the command above it prints TEXT.
 *   <li>In a fence marked {@code same-as-ci}, the one command is the one {@code .ci/run} runs.
 *   <li>In other shell fences (no info string, {@code shell}, {@code sh}, {@code bash}, {@code
 *       console}), a line is a command when it starts with {@code mvn}, {@code java}, {@code bash}
 *       or a path to a script.
 *   <li>Outside fences, an inline code span that starts with {@code mvn } is a command.
 * </ul>
 *
 * <p>A line ending in a backslash continues on the next one. Thread-safety: stateless.
 */
final class DocCommands {

  static final String VERBATIM_CHECKED = "verbatim-checked";
  static final String SAME_AS_CI = "same-as-ci";
  private static final String PRINTS = "# prints:";

  private static final Set<String> SHELL_FENCES = Set.of("", "shell", "sh", "bash", "console");
  private static final Pattern FENCE = Pattern.compile("^\\s*```(.*)$");
  private static final Pattern INLINE_MVN = Pattern.compile("`(mvn [^`]+)`");
  private static final Pattern COMMAND_START =
      Pattern.compile("^(mvn|java|bash)\\s.*|^\\.?/?[\\w.-]+(/[\\w.-]+)+\\.sh(\\s.*)?$");

  private DocCommands() {}

  /** Returns the pages in the order their commands run: README.md, then docs/*.md by name. */
  static List<Path> pages(Path root) {
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages;
  }

  /** Returns every command of every page, in page order, then line order. */
  static List<DocCommand> read(Path root) {
    List<DocCommand> commands = new ArrayList<>();
    for (Path page : pages(root)) {
      commands.addAll(read(root.relativize(page).toString(), lines(page)));
    }
    return commands;
  }

  /** Returns the commands of one page. */
  static List<DocCommand> read(String file, List<String> lines) {
    List<DocCommand> commands = new ArrayList<>();
    boolean inFence = false;
    boolean shell = false;
    boolean checked = false;
    boolean ci = false;
    int fenceStart = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher fence = FENCE.matcher(line);
      if (fence.matches()) {
        if (inFence) {
          inFence = false;
        } else {
          inFence = true;
          fenceStart = commands.size();
          List<String> info = List.of(fence.group(1).strip().split("\\s+"));
          shell = SHELL_FENCES.contains(info.get(0));
          checked = info.contains(VERBATIM_CHECKED);
          ci = info.contains(SAME_AS_CI);
        }
        continue;
      }
      if (!inFence) {
        Matcher inline = INLINE_MVN.matcher(line);
        while (inline.find()) {
          commands.add(new DocCommand(file, i + 1, inline.group(1), false, false, List.of()));
        }
        continue;
      }
      if (!shell && !checked && !ci) {
        continue;
      }
      int start = i;
      String command = line.strip();
      while (command.endsWith("\\") && i + 1 < lines.size()) {
        command =
            command.substring(0, command.length() - 1).stripTrailing()
                + " "
                + lines.get(++i).strip();
      }
      if (command.startsWith(PRINTS) && (checked || ci)) {
        if (commands.size() == fenceStart) {
          throw new IllegalArgumentException(
              file + ":" + (i + 1) + ": '" + PRINTS + "' needs a command above it in its fence");
        }
        int last = commands.size() - 1;
        commands.set(
            last, commands.get(last).withPrint(command.substring(PRINTS.length()).strip()));
      } else if (command.isEmpty() || command.startsWith("#")) {
        continue;
      } else if (checked || ci || COMMAND_START.matcher(command).matches()) {
        commands.add(new DocCommand(file, start + 1, command, checked, ci, List.of()));
      }
    }
    return commands;
  }

  private static List<String> lines(Path page) {
    try {
      return Files.readAllLines(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
