package io.eventhub.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs test callbacks the way the gateways do (checked against published vectors in tests). */
public final class Signatures {

  private Signatures() {}

  /** {@code Stripe-Signature} value: {@code t=<t>,v1=<hex HMAC of "<t>.<body>">}. */
  public static String stripe(String secret, long t, String body) {
    return "t="
        + t
        + ",v1="
        + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), t + "." + body));
  }

  /** The {@code Stripe-Signature} header of a body signed now. */
  public static java.util.Map<String, String> stripeHeaderNow(String secret, String body) {
    return java.util.Map.of(
        "Stripe-Signature", stripe(secret, System.currentTimeMillis() / 1000, body));
  }

  /** {@code webhook-signature} value: {@code v1,<base64 HMAC of "<id>.<t>.<body>">}. */
  public static String standardWebhooks(String secret, String id, long t, String body) {
    byte[] key = Base64.getDecoder().decode(secret.replaceFirst("^whsec_", ""));
    return "v1," + Base64.getEncoder().encodeToString(hmac(key, id + "." + t + "." + body));
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
