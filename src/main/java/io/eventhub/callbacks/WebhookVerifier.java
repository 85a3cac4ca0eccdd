package io.eventhub.callbacks;

import io.eventhub.http.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Message;

/**
 * Verifies a signed webhook before its body is parsed, in either scheme gateways use:
 *
 * <ul>
 *   <li>Stripe: {@code Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]}, HMAC-SHA256 of {@code
 *       <t>.<raw body>} keyed with the secret as given;
 *   <li>Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature:
 *       v1,<base64> [v1,<base64>...]}, HMAC-SHA256 of {@code <id>.<timestamp>.<raw body>} keyed
 *       with the base64-decoded part of a {@code whsec_} secret.
 * </ul>
 *
 * Several secrets may be configured (rotation) and a header may carry several signatures; any match
 * passes. Signatures are compared in constant time. A timestamp further than the tolerance from
 * now, either way, fails. Every verification failure is the same 401, so a caller learns nothing
 * about which check failed; only a header that cannot be parsed is a 400.
 */
public class WebhookVerifier {

  private static final String ALGORITHM = "HmacSHA256";
  private static final ProblemException UNVERIFIED =
      new ProblemException(401, "Unauthorized", "The callback signature could not be verified.");

  private final List<String> secrets;
  private final long toleranceSeconds;
  private final Clock clock;
  // each verification's outcome: verified, unverified, malformed, too_large (the metrics)
  private Consumer<String> outcomes = outcome -> {};

  /**
   * @param secrets the configured secrets, comma-separated (the newest and the ones still in use)
   */
  public WebhookVerifier(String secrets, long toleranceSeconds, Clock clock) {
    this.secrets =
        Arrays.stream(secrets == null ? new String[0] : secrets.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    this.toleranceSeconds = toleranceSeconds;
    this.clock = clock;
  }

  /** Where each verification's outcome goes ({@code io.eventhub.metrics.HubMeters}). */
  public void setOutcomes(Consumer<String> outcomes) {
    this.outcomes = outcomes;
  }

  public boolean hasSecrets() {
    return !secrets.isEmpty();
  }

  /**
   * The raw body of a signed callback, once it is within {@code maxBytes} and its signature
   * verifies.
   *
   * @throws ProblemException 413 when larger, 401 when the signature does not verify, 400 when a
   *     header is malformed
   */
  public byte[] verifiedBody(Message in, int maxBytes) {
    byte[] body = in.getBody(byte[].class);
    if (body == null) {
      body = new byte[0];
    }
    if (body.length > maxBytes) {
      outcomes.accept("too_large");
      throw new ProblemException(
          413, "Payload Too Large", "The callback is larger than " + maxBytes + " bytes.");
    }
    verify(name -> in.getHeader(name, String.class), body);
    return body;
  }

  /**
   * @param header the request's headers by name (any case)
   * @throws ProblemException 401 when the signature does not verify, 400 when a header is malformed
   */
  public void verify(Function<String, String> header, byte[] body) {
    try {
      check(header, body);
      outcomes.accept("verified");
    } catch (ProblemException e) {
      outcomes.accept(e.status() == 401 ? "unverified" : "malformed");
      throw e;
    }
  }

  private void check(Function<String, String> header, byte[] body) {
    String stripe = header.apply("Stripe-Signature");
    String webhookSignature = header.apply("webhook-signature");
    if (stripe != null) {
      verifyStripe(stripe, body);
    } else if (webhookSignature != null) {
      verifyStandardWebhooks(
          header.apply("webhook-id"), header.apply("webhook-timestamp"), webhookSignature, body);
    } else {
      throw UNVERIFIED;
    }
  }

  private void verifyStripe(String headerValue, byte[] body) {
    String timestamp = null;
    List<byte[]> signatures = new ArrayList<>();
    for (String part : headerValue.split(",")) {
      String[] pair = part.trim().split("=", 2);
      if (pair.length != 2) {
        throw malformed();
      }
      if (pair[0].equals("t")) {
        timestamp = pair[1];
      } else if (pair[0].equals("v1")) {
        try {
          signatures.add(HexFormat.of().parseHex(pair[1]));
        } catch (IllegalArgumentException e) {
          throw malformed();
        }
      }
    }
    if (timestamp == null || signatures.isEmpty()) {
      throw malformed();
    }
    checkTimestamp(timestamp);
    byte[] signed = concat(timestamp + ".", body);
    for (String secret : secrets) {
      if (matchesAny(hmac(secret.getBytes(StandardCharsets.UTF_8), signed), signatures)) {
        return;
      }
    }
    throw UNVERIFIED;
  }

  private void verifyStandardWebhooks(
      String id, String timestamp, String headerValue, byte[] body) {
    if (id == null || id.isBlank() || timestamp == null) {
      throw malformed();
    }
    List<byte[]> signatures = new ArrayList<>();
    for (String part : headerValue.trim().split(" +")) {
      String[] versioned = part.split(",", 2);
      if (versioned.length != 2) {
        throw malformed();
      }
      if (versioned[0].equals("v1")) {
        try {
          signatures.add(Base64.getDecoder().decode(versioned[1]));
        } catch (IllegalArgumentException e) {
          throw malformed();
        }
      }
    }
    if (signatures.isEmpty()) {
      throw malformed();
    }
    checkTimestamp(timestamp);
    byte[] signed = concat(id + "." + timestamp + ".", body);
    for (String secret : secrets) {
      byte[] key = standardWebhooksKey(secret);
      if (key != null && matchesAny(hmac(key, signed), signatures)) {
        return;
      }
    }
    throw UNVERIFIED;
  }

  private void checkTimestamp(String timestamp) {
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw malformed();
    }
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - seconds) > toleranceSeconds) {
      throw UNVERIFIED;
    }
  }

  private static byte[] standardWebhooksKey(String secret) {
    String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
    try {
      return Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean matchesAny(byte[] expected, List<byte[]> signatures) {
    boolean match = false;
    for (byte[] signature : signatures) {
      match |= MessageDigest.isEqual(expected, signature);
    }
    return match;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac.doFinal(data);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  private static byte[] concat(String prefix, byte[] body) {
    byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  private static ProblemException malformed() {
    return new ProblemException(
        400, "Malformed Signature Header", "The signature header is not well-formed.");
  }
}
