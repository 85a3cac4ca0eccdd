package io.eventhub.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.eventhub.http.ProblemException;
import io.eventhub.support.Signatures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Signature vectors for both schemes, including the Standard Webhooks reference vector. */
class WebhookVerifierTest {

  // the Standard Webhooks specification's reference vector
  private static final String SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String SW_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long SW_TIME = 1614265330;
  private static final String SW_BODY = "{\"test\": 2432232314}";
  private static final String SW_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  // computed with: printf '%s' '1700000000.{"id":"evt_1"}' | openssl dgst -sha256 -hmac
  // whsec_test_stripe_secret
  private static final String STRIPE_SECRET = "whsec_test_stripe_secret";
  private static final long STRIPE_TIME = 1700000000;
  private static final String STRIPE_BODY = "{\"id\":\"evt_1\"}";
  private static final String STRIPE_V1 =
      "58346249a3808e1cc2c280dd85807fb66c61d05216caeb3107283f0320b44fa9";

  @Test
  void standardWebhooksReferenceVectorVerifies() {
    WebhookVerifier verifier = verifier(SW_SECRET, SW_TIME);

    assertThatCode(() -> verifier.verify(sw(SW_ID, SW_TIME, SW_SIGNATURE), bytes(SW_BODY)))
        .doesNotThrowAnyException();
    assertThat(Signatures.standardWebhooks(SW_SECRET, SW_ID, SW_TIME, SW_BODY))
        .isEqualTo(SW_SIGNATURE);
  }

  @Test
  void stripeVectorVerifies() {
    WebhookVerifier verifier = verifier(STRIPE_SECRET, STRIPE_TIME + 10);

    assertThatCode(
            () ->
                verifier.verify(
                    stripe("t=" + STRIPE_TIME + ",v1=" + STRIPE_V1), bytes(STRIPE_BODY)))
        .doesNotThrowAnyException();
    assertThat(Signatures.stripe(STRIPE_SECRET, STRIPE_TIME, STRIPE_BODY)).endsWith(STRIPE_V1);
  }

  @Test
  void aTamperedBodyFails() {
    assertUnverified(
        verifier(SW_SECRET, SW_TIME), sw(SW_ID, SW_TIME, SW_SIGNATURE), "{\"test\": 2432232315}");
    assertUnverified(
        verifier(STRIPE_SECRET, STRIPE_TIME),
        stripe("t=" + STRIPE_TIME + ",v1=" + STRIPE_V1),
        "{\"id\":\"evt_2\"}");
  }

  @Test
  void aTamperedIdOrTimestampFails() {
    assertUnverified(verifier(SW_SECRET, SW_TIME), sw("msg_other", SW_TIME, SW_SIGNATURE), SW_BODY);
    assertUnverified(verifier(SW_SECRET, SW_TIME), sw(SW_ID, SW_TIME + 1, SW_SIGNATURE), SW_BODY);
  }

  @Test
  void theWrongSecretFails() {
    assertUnverified(
        verifier(
            "whsec_" + java.util.Base64.getEncoder().encodeToString(bytes("another")), SW_TIME),
        sw(SW_ID, SW_TIME, SW_SIGNATURE),
        SW_BODY);
    assertUnverified(
        verifier("whsec_other", STRIPE_TIME),
        stripe("t=" + STRIPE_TIME + ",v1=" + STRIPE_V1),
        STRIPE_BODY);
  }

  @Test
  void aRotatedSecretStillVerifiesWhileBothAreConfigured() {
    WebhookVerifier rotating = verifier("whsec_new_secret, " + STRIPE_SECRET, STRIPE_TIME);
    WebhookVerifier rotatingSw = verifier("whsec_bmV3LXNlY3JldA==," + SW_SECRET, SW_TIME);

    assertThatCode(
            () ->
                rotating.verify(
                    stripe("t=" + STRIPE_TIME + ",v1=" + STRIPE_V1), bytes(STRIPE_BODY)))
        .doesNotThrowAnyException();
    assertThatCode(() -> rotatingSw.verify(sw(SW_ID, SW_TIME, SW_SIGNATURE), bytes(SW_BODY)))
        .doesNotThrowAnyException();
  }

  @Test
  void oneValidSignatureAmongSeveralVerifies() {
    String stale = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    assertThatCode(
            () ->
                verifier(SW_SECRET, SW_TIME)
                    .verify(sw(SW_ID, SW_TIME, stale + " " + SW_SIGNATURE), bytes(SW_BODY)))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                verifier(STRIPE_SECRET, STRIPE_TIME)
                    .verify(
                        stripe("t=" + STRIPE_TIME + ",v1=" + "00".repeat(32) + ",v1=" + STRIPE_V1),
                        bytes(STRIPE_BODY)))
        .doesNotThrowAnyException();
  }

  @Test
  void expiredAndFutureTimestampsFail() {
    assertUnverified(verifier(SW_SECRET, SW_TIME + 301), sw(SW_ID, SW_TIME, SW_SIGNATURE), SW_BODY);
    assertUnverified(verifier(SW_SECRET, SW_TIME - 301), sw(SW_ID, SW_TIME, SW_SIGNATURE), SW_BODY);
    assertUnverified(
        verifier(STRIPE_SECRET, STRIPE_TIME + 301),
        stripe("t=" + STRIPE_TIME + ",v1=" + STRIPE_V1),
        STRIPE_BODY);
    assertThatCode(
            () ->
                verifier(SW_SECRET, SW_TIME + 299)
                    .verify(sw(SW_ID, SW_TIME, SW_SIGNATURE), bytes(SW_BODY)))
        .doesNotThrowAnyException();
  }

  @Test
  void aMissingSignatureFailsAsUnverified() {
    assertUnverified(verifier(SW_SECRET, SW_TIME), name -> null, SW_BODY);
  }

  @Test
  void malformedHeadersAreBadRequests() {
    WebhookVerifier verifier = verifier(STRIPE_SECRET, STRIPE_TIME);
    assertStatus(verifier, stripe("v1=" + STRIPE_V1), STRIPE_BODY, 400);
    assertStatus(verifier, stripe("t=" + STRIPE_TIME), STRIPE_BODY, 400);
    assertStatus(verifier, stripe("t=" + STRIPE_TIME + ",v1=not-hex"), STRIPE_BODY, 400);
    assertStatus(verifier, stripe("t=yesterday,v1=" + STRIPE_V1), STRIPE_BODY, 400);
    assertStatus(verifier(SW_SECRET, SW_TIME), sw(SW_ID, SW_TIME, "g0hM9SsE"), SW_BODY, 400);
    Map<String, String> noId = swHeaders(SW_ID, SW_TIME, SW_SIGNATURE);
    noId.remove("webhook-id");
    assertStatus(verifier(SW_SECRET, SW_TIME), noId::get, SW_BODY, 400);
  }

  @Test
  void noConfiguredSecretRefusesEverything() {
    WebhookVerifier none = new WebhookVerifier("", 300, clock(SW_TIME));
    assertThat(none.hasSecrets()).isFalse();
    assertUnverified(none, sw(SW_ID, SW_TIME, SW_SIGNATURE), SW_BODY);
  }

  @Test
  void everyVerificationFailureSaysTheSame() {
    ProblemException wrongBody =
        catchThrowableOfType(
            ProblemException.class,
            () ->
                verifier(SW_SECRET, SW_TIME).verify(sw(SW_ID, SW_TIME, SW_SIGNATURE), bytes("{}")));
    ProblemException expired =
        catchThrowableOfType(
            ProblemException.class,
            () ->
                verifier(SW_SECRET, SW_TIME + 9999)
                    .verify(sw(SW_ID, SW_TIME, SW_SIGNATURE), bytes(SW_BODY)));
    assertThat(wrongBody.getMessage()).isEqualTo(expired.getMessage());
    assertThat(wrongBody.title()).isEqualTo(expired.title());
  }

  private static WebhookVerifier verifier(String secrets, long now) {
    return new WebhookVerifier(secrets, 300, clock(now));
  }

  private static Clock clock(long epochSecond) {
    return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
  }

  private static Function<String, String> sw(String id, long t, String signature) {
    return swHeaders(id, t, signature)::get;
  }

  private static Map<String, String> swHeaders(String id, long t, String signature) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", String.valueOf(t));
    headers.put("webhook-signature", signature);
    return headers;
  }

  private static Function<String, String> stripe(String value) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("Stripe-Signature", value);
    return headers::get;
  }

  private static byte[] bytes(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertUnverified(
      WebhookVerifier verifier, Function<String, String> headers, String body) {
    assertStatus(verifier, headers, body, 401);
  }

  private static void assertStatus(
      WebhookVerifier verifier, Function<String, String> headers, String body, int status) {
    ProblemException problem =
        catchThrowableOfType(ProblemException.class, () -> verifier.verify(headers, bytes(body)));
    assertThat(problem).as("verification must fail").isNotNull();
    assertThat(problem.status()).isEqualTo(status);
  }
}
