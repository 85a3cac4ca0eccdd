package io.eventhub.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventhub.chat.ChatModeration.Decision;
import io.eventhub.chat.ChatModeration.Verdict;
import io.eventhub.http.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of chat moderation, the chat tokens and the push preview, without engines. */
class ChatModerationTest {

  private final ChatModeration rules =
      ChatModeration.fromFiles(
          "classpath:moderation/blocked-words.txt",
          "classpath:moderation/flagged-words.txt",
          100,
          "allow-listed",
          List.of("example.com"));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "oh shit",
        "OH SHIT!",
        "sh1t happens",
        "what the f u c k",
        "what the f.u.c.k",
        "you B4STARD",
        "$hit"
      })
  void blockedWordsMatchInAnyCaseSpacedOutAndInLeetspeak(String text) {
    assertThat(rules.judge(text)).isEqualTo(new Decision(Verdict.BLOCKED, "blocked-word"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"shitake mushrooms", "Scunthorpe", "a bass tarde", "the shipment shipped"})
  void wordsMatchOnlyAtWordBoundaries(String text) {
    assertThat(rules.judge(text).verdict()).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void flaggedWordsFlag() {
    assertThat(rules.judge("this is a sc4m"))
        .isEqualTo(new Decision(Verdict.FLAGGED, "flagged-word"));
    assertThat(rules.judge("Is the red mug back in stock?"))
        .isEqualTo(new Decision(Verdict.ALLOWED, null));
  }

  @Test
  void aTextOverTheMaximumLengthIsBlocked() {
    assertThat(rules.judge("a".repeat(100)).verdict()).isEqualTo(Verdict.ALLOWED);
    assertThat(rules.judge("a".repeat(101))).isEqualTo(new Decision(Verdict.BLOCKED, "max-length"));
    // characters, not UTF-16 units
    assertThat(rules.judge("😀".repeat(100)).verdict()).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void linksOnlyToAllowListedDomains() {
    assertThat(rules.judge("see https://shop.example.com/mugs").verdict())
        .isEqualTo(Verdict.ALLOWED);
    assertThat(rules.judge("see www.example.com").verdict()).isEqualTo(Verdict.ALLOWED);
    assertThat(rules.judge("cheap at http://evil.test/x"))
        .isEqualTo(new Decision(Verdict.BLOCKED, "link"));
    assertThat(rules.judge("cheap at bad-shop.com now"))
        .isEqualTo(new Decision(Verdict.BLOCKED, "link"));
    assertThat(rules.judge("example.com.evil.io").verdict()).isEqualTo(Verdict.BLOCKED);
    ChatModeration noLinks =
        new ChatModeration(java.util.Set.of(), java.util.Set.of(), 100, "none", List.of());
    assertThat(noLinks.judge("https://example.com").verdict()).isEqualTo(Verdict.BLOCKED);
  }

  @Test
  void cleaningDropsControlCharactersAndKeepsLinesAndTabs() {
    assertThat(ChatModeration.clean("  hi\u0000 there\u0007\r\n\tyou\u009b  "))
        .isEqualTo("hi there\n\tyou");
    assertThat(ChatModeration.clean("a\uD800b😀")).isEqualTo("ab😀");
    assertThat(ChatModeration.clean("\u0001\u0002 ")).isEmpty();
  }

  @Test
  void tokensNameTheirUserUntilTheyExpire() {
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    ChatTokens tokens =
        new ChatTokens(
            "0123456789abcdef-secret", Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));
    String token = tokens.mint("alice");
    assertThat(tokens.userOf(token)).isEqualTo("alice");

    ChatTokens later =
        new ChatTokens(
            "0123456789abcdef-secret",
            Duration.ofHours(1),
            Clock.fixed(now.plus(Duration.ofHours(2)), ZoneOffset.UTC));
    assertThatThrownBy(() -> later.userOf(token)).isInstanceOf(ProblemException.class);
    ChatTokens other =
        new ChatTokens(
            "another-secret-of-16-bytes", Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));
    assertThatThrownBy(() -> other.userOf(token)).isInstanceOf(ProblemException.class);
    String[] parts = token.split("\\.");
    String forged = "Ym9i." + parts[1] + "." + parts[2];
    assertThatThrownBy(() -> tokens.userOf(forged)).isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> tokens.userOf("nonsense")).isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> tokens.userOf(null)).isInstanceOf(ProblemException.class);
  }

  @Test
  void previewsAreCutToTheirLength() {
    assertThat(ChatPush.preview("short", 10)).isEqualTo("short");
    assertThat(ChatPush.preview("a  long\nline of text", 10)).isEqualTo("a long li…");
    assertThat(ChatPush.preview("😀😀😀😀", 3)).isEqualTo("😀😀…");
  }
}
