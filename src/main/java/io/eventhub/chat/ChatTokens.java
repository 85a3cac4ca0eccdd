package io.eventhub.chat;

import io.eventhub.http.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Chat users' tokens: {@code <userId, base64url>.<expiry, epoch seconds>.<HMAC-SHA256 of both,
 * base64url>} signed with {@code hub.chat.token-secret}. Minted by {@code POST /api/chats/tokens}
 * (admin); a live stream and the message search take them. Stands in until the hub has a trust
 * boundary of its own for end users.
 */
public final class ChatTokens {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final byte[] secret;
  private final Duration ttl;
  private final Clock clock;

  public ChatTokens(String secret, Duration ttl, Clock clock) {
    this.secret = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
    this.ttl = ttl;
    this.clock = clock;
  }

  /** Whether tokens can be made and checked (a secret of at least 16 bytes is set). */
  public boolean enabled() {
    return secret.length >= 16;
  }

  /** A token for the user, valid for the configured time. */
  public String mint(String userId) {
    requireEnabled();
    if (userId == null || userId.isBlank() || userId.length() > 200) {
      throw new ProblemException(
          400, "Bad Request", "userId must be a non-empty string of at most 200 characters.");
    }
    long expiry = clock.instant().plus(ttl).getEpochSecond();
    String payload = B64.encodeToString(userId.getBytes(StandardCharsets.UTF_8)) + "." + expiry;
    return payload + "." + B64.encodeToString(sign(payload));
  }

  /** The answer of {@code POST /api/chats/tokens}: the token, the user and when it expires. */
  public Map<String, Object> minted(Map<String, Object> request) {
    Object userId = request == null ? null : request.get("userId");
    String token = mint(userId instanceof String s ? s : null);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("userId", userId);
    answer.put("token", token);
    answer.put("expiresAt", Instant.ofEpochSecond(expiryOf(token)).toString());
    return answer;
  }

  /**
   * The user a token stands for.
   *
   * @throws ProblemException 401 for a missing, malformed, forged or expired token
   */
  public String userOf(String token) {
    requireEnabled();
    if (token == null || token.length() > 1000) {
      throw unauthorized();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw unauthorized();
    }
    byte[] given;
    try {
      given = B64D.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw unauthorized();
    }
    if (!MessageDigest.isEqual(given, sign(parts[0] + "." + parts[1]))) {
      throw unauthorized();
    }
    long expiry;
    try {
      expiry = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      throw unauthorized();
    }
    if (clock.instant().getEpochSecond() >= expiry) {
      throw unauthorized();
    }
    return new String(B64D.decode(parts[0]), StandardCharsets.UTF_8);
  }

  private static long expiryOf(String token) {
    return Long.parseLong(token.split("\\.")[1]);
  }

  private byte[] sign(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void requireEnabled() {
    if (!enabled()) {
      throw new ProblemException(
          503,
          "Service Unavailable",
          "Chat tokens need hub.chat.token-secret (at least 16 bytes) in the configuration.");
    }
  }

  static ProblemException unauthorized() {
    return new ProblemException(
        401, "Unauthorized", "The request needs a valid chat user token that has not expired.");
  }
}
