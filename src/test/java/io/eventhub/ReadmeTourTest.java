package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * samples/tour.sh runs exactly the README's walkthroughs: every {@code curl} and {@code samples/}
 * command of the README's bash blocks is a command of the script, in the same order and written the
 * same way, each with the answer it must give on the line above it.
 */
class ReadmeTourTest {

  private static final Pattern BASH_BLOCK = Pattern.compile("(?s)```bash\\n(.*?)```");
  private static final Pattern SAMPLE_FILE = Pattern.compile("@?(samples/[\\w./-]+)");

  @Test
  void theScriptRunsTheReadmesCommandsInTheirOrder() throws IOException {
    List<String> readme = new ArrayList<>();
    Matcher block = BASH_BLOCK.matcher(Files.readString(Path.of("README.md")));
    while (block.find()) {
      readme.addAll(commands(lines(block.group(1))));
    }
    List<String> script = commands(lines(Files.readString(Path.of("samples/tour.sh"))));

    assertThat(readme).as("curl and samples/ commands in README.md").hasSizeGreaterThan(20);
    assertThat(script)
        .as(
            "the commands of samples/tour.sh against README.md's: change both together, each"
                + " command in the script with an expect line above it")
        .containsExactlyElementsOf(readme);
  }

  @Test
  void everyCommandOfTheScriptSaysWhatItsAnswerMustBe() throws IOException {
    List<String> lines = lines(Files.readString(Path.of("samples/tour.sh")));
    for (int i = 0; i < lines.size(); i++) {
      if (isCommand(lines.get(i))) {
        assertThat(lines.get(i - 1))
            .as("the line above %s", lines.get(i))
            .matches("(expect|eventually) \\d{3}( '.*')?");
      }
    }
  }

  @Test
  void everySampleTheTourUsesExists() throws IOException {
    Matcher sample = SAMPLE_FILE.matcher(Files.readString(Path.of("samples/tour.sh")));
    while (sample.find()) {
      assertThat(Path.of(sample.group(1))).as(sample.group(1)).isRegularFile();
    }
  }

  /** The logical lines of shell text: continuations joined, spaces collapsed, comments dropped. */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String physical : text.split("\n", -1)) {
      if (physical.endsWith("\\")) {
        line.append(physical, 0, physical.length() - 1).append(' ');
        continue;
      }
      line.append(physical);
      String logical = line.toString().replaceAll("\\s+#( .*)?$", "").replaceAll("[ \\t]+", " ");
      line.setLength(0);
      if (!logical.isBlank() && !logical.stripLeading().startsWith("#")) {
        lines.add(logical.stripTrailing());
      }
    }
    return lines;
  }

  private static List<String> commands(List<String> lines) {
    return lines.stream().filter(ReadmeTourTest::isCommand).toList();
  }

  /** A command a reader types: curl or a sample script, not indented (not inside a function). */
  private static boolean isCommand(String line) {
    return line.startsWith("curl ") || line.startsWith("samples/");
  }
}
