package io.eventhub.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The verdict on a chat message, from rules in files: a word list that blocks, one that flags, a
 * maximum length and a link policy ({@code none}: any link blocks; {@code allow-listed}: a link to
 * another domain than the listed ones blocks). Words match case-insensitively as whole words, also
 * when spaced out ({@code f u c k}, {@code f.u.c.k}) or written with leetspeak digits ({@code
 * sh1t}). Plain Java, no engines: {@code ChatModerationTest}.
 */
public final class ChatModeration {

  public enum Verdict {
    ALLOWED,
    FLAGGED,
    BLOCKED
  }

  /** A verdict and the rule that fired (null when ALLOWED). */
  public record Decision(Verdict verdict, String rule) {}

  private static final Pattern LINK =
      Pattern.compile(
          "(?i)\\b(?:https?://|www\\.)([a-z0-9.-]+)|\\b([a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:com|net|org|io|ru|xyz|info|biz|co|me|ly|app|dev))\\b");

  private final Set<String> blocked;
  private final Set<String> flagged;
  private final int maxLength;
  private final boolean linksAllowListed;
  private final Set<String> allowedDomains;

  public ChatModeration(
      Set<String> blocked,
      Set<String> flagged,
      int maxLength,
      String linkPolicy,
      List<String> allowedDomains) {
    this.blocked = normalizeAll(blocked);
    this.flagged = normalizeAll(flagged);
    this.maxLength = maxLength;
    this.linksAllowListed =
        switch (linkPolicy.trim().toLowerCase(Locale.ROOT)) {
          case "none" -> false;
          case "allow-listed" -> true;
          default ->
              throw new IllegalArgumentException(
                  "hub.chat.moderation.links must be none or allow-listed, not " + linkPolicy);
        };
    this.allowedDomains = new LinkedHashSet<>();
    allowedDomains.forEach(d -> this.allowedDomains.add(d.trim().toLowerCase(Locale.ROOT)));
  }

  /** The rules of the files at these locations ({@code classpath:} or {@code file:}). */
  public static ChatModeration fromFiles(
      String blockedWords,
      String flaggedWords,
      int maxLength,
      String linkPolicy,
      List<String> allowedDomains) {
    return new ChatModeration(
        wordList(blockedWords), wordList(flaggedWords), maxLength, linkPolicy, allowedDomains);
  }

  /** The verdict on a text (already cleaned, {@link #clean}). */
  public Decision judge(String text) {
    if (text.codePointCount(0, text.length()) > maxLength) {
      return new Decision(Verdict.BLOCKED, "max-length");
    }
    String link = forbiddenLink(text);
    if (link != null) {
      return new Decision(Verdict.BLOCKED, "link");
    }
    List<String> words = words(text);
    if (words.stream().anyMatch(blocked::contains)) {
      return new Decision(Verdict.BLOCKED, "blocked-word");
    }
    if (words.stream().anyMatch(flagged::contains)) {
      return new Decision(Verdict.FLAGGED, "flagged-word");
    }
    return new Decision(Verdict.ALLOWED, null);
  }

  /**
   * The text without control characters (line feeds and tabs kept, carriage returns dropped) and
   * without unpaired surrogates, trimmed.
   */
  public static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c) || c == '\uFFFD') {
        // an unpaired half of a pair: not text
      } else if (c == '\n' || c == '\t' || !Character.isISOControl(c)) {
        out.append(c);
      }
    }
    return out.toString().strip();
  }

  private String forbiddenLink(String text) {
    Matcher m = LINK.matcher(text);
    while (m.find()) {
      String host = (m.group(1) != null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT);
      if (host.startsWith("www.")) {
        host = host.substring(4);
      }
      if (!linksAllowListed || !allowed(host)) {
        return host;
      }
    }
    return null;
  }

  private boolean allowed(String host) {
    return allowedDomains.stream().anyMatch(d -> host.equals(d) || host.endsWith("." + d));
  }

  /**
   * The words of a text as matched: lower case, leetspeak digits read as letters, and runs of
   * single letters (spaced out) joined into one word as well as kept apart.
   */
  static List<String> words(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder mapped = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      mapped.append(leet(lower.charAt(i)));
    }
    List<String> tokens = new ArrayList<>();
    for (String token : mapped.toString().split("[^\\p{L}]+")) {
      if (!token.isEmpty()) {
        tokens.add(token);
      }
    }
    List<String> words = new ArrayList<>(tokens);
    StringBuilder run = new StringBuilder();
    for (String token : tokens) {
      if (token.length() == 1) {
        run.append(token);
      } else {
        addRun(words, run);
      }
    }
    addRun(words, run);
    return words;
  }

  private static void addRun(List<String> words, StringBuilder run) {
    if (run.length() > 1) {
      words.add(run.toString());
    }
    run.setLength(0);
  }

  private static char leet(char c) {
    return switch (c) {
      case '0' -> 'o';
      case '1' -> 'i';
      case '3' -> 'e';
      case '4', '@' -> 'a';
      case '5', '$' -> 's';
      case '7' -> 't';
      case '8' -> 'b';
      case '9' -> 'g';
      default -> c;
    };
  }

  private static Set<String> normalizeAll(Set<String> words) {
    Set<String> out = new LinkedHashSet<>();
    words.forEach(w -> out.addAll(words(w)));
    return out;
  }

  private static Set<String> wordList(String location) {
    Set<String> words = new LinkedHashSet<>();
    for (String line : read(location).split("\n")) {
      String word = line.strip();
      if (!word.isEmpty() && !word.startsWith("#")) {
        words.add(word.toLowerCase(Locale.ROOT));
      }
    }
    return words;
  }

  private static String read(String location) {
    try {
      if (location.startsWith("classpath:")) {
        String path = location.substring("classpath:".length());
        try (InputStream in = ChatModeration.class.getClassLoader().getResourceAsStream(path)) {
          if (in == null) {
            throw new IllegalStateException("no moderation file " + location);
          }
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return Files.readString(
          Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
