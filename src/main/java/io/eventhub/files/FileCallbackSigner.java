package io.eventhub.files;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the hub's own processors' callbacks as an outside processor would: the Stripe scheme
 * ({@code Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">}) with the first secret
 * of {@code hub.callbacks.files.secret}; the callback route verifies it with the same {@code
 * io.eventhub.callbacks.WebhookVerifier} as every other callback.
 */
public class FileCallbackSigner {

  private final String secret;
  private final Clock clock;

  public FileCallbackSigner(String secrets, Clock clock) {
    this.secret = secrets == null ? "" : secrets.split(",")[0].trim();
    this.clock = clock;
  }

  public Map<String, String> sign(byte[] body) {
    long t = clock.instant().getEpochSecond();
    byte[] prefix = (t + ".").getBytes(StandardCharsets.US_ASCII);
    byte[] signed = Arrays.copyOf(prefix, prefix.length + body.length);
    System.arraycopy(body, 0, signed, prefix.length, body.length);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Map.of(
          "Stripe-Signature", "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal(signed)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot sign a file callback (is a secret set?)", e);
    }
  }
}
