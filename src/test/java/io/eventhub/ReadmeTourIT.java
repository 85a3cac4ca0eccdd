package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.support.HubRunner;
import io.eventhub.support.PrivateEngines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's walkthroughs, as samples/tour.sh runs them, against a fresh hub set up as {@code mvn
 * compile camel:run} sets it up: the dev profile's routes (with the stand-in services), the
 * stand-ins as outside services (push included) and the dev secrets (payments, files, chat tokens).
 * The hub gets engines of its own, empty like those of a first run: the walkthroughs use fixed ids
 * and SKUs, which the engines the other tests share (TestEngines) may already hold. They are handed
 * to the hub as TestEngines hands its own, through system properties (which win over the hub's
 * other properties), and the previous values are put back afterwards.
 */
class ReadmeTourIT {

  private static final Path DEV_PROFILE = Path.of("application-dev.properties");
  private static final long SCRIPT_TIMEOUT_SECONDS = 300;

  private static PrivateEngines engines;
  private static HubRunner hub;

  @BeforeAll
  static void startAFreshHub() throws Exception {
    // the walkthroughs use fixed ids and the sample SKUs other tests use too: engines of its own
    engines = new PrivateEngines("tour");
    hub = new HubRunner(asTheReadmeRunsIt());
    engines
        .properties()
        .forEach(
            (key, value) ->
                assertThat(hub.context().resolvePropertyPlaceholders("{{" + key + "}}"))
                    .as("the tour's hub runs on engines of its own: %s", key)
                    .isEqualTo(value));
  }

  /** What the tour needs of the dev profile, stated here so that it holds wherever it moves. */
  private static Map<String, String> asTheReadmeRunsIt() throws IOException {
    Properties dev = new Properties();
    try (InputStream in = Files.newInputStream(DEV_PROFILE)) {
      dev.load(in);
    }
    Map<String, String> properties = new LinkedHashMap<>();
    // the routes with the stand-ins, the secret samples/send-payment-callback.sh signs with, the
    // one the hub's file processors sign their results with, the one chat tokens are signed with
    for (String key :
        new String[] {
          "camel.main.routes-include-pattern",
          "hub.callbacks.payments.secret",
          "hub.callbacks.files.secret",
          "hub.chat.token-secret"
        }) {
      assertThat(dev.getProperty(key)).as("%s in %s", key, DEV_PROFILE).isNotBlank();
      properties.put(key, dev.getProperty(key));
    }
    // the API's client of the dev profile: dev-token, which the README's curl examples send
    for (String key : dev.stringPropertyNames()) {
      if (key.startsWith("hub.security.")) {
        properties.put(key, dev.getProperty(key));
      }
    }
    assertThat(properties.get("hub.security.tokens.dev.token")).isEqualTo("dev-token");
    for (String service :
        new String[] {"shipping", "payments", "notification", "recommendation", "push"}) {
      properties.put(
          "hub.services." + service + ".url",
          "http://localhost:{{hub.http.port}}/stand-ins/" + service);
    }
    return properties;
  }

  @AfterAll
  static void stop() throws Exception {
    if (hub != null) {
      hub.close();
    }
    if (engines != null) {
      engines.close();
    }
  }

  @Test
  void theReadmesWalkthroughsEndWithTheOrderConfirmed() throws Exception {
    Path output = Files.createTempFile("readme-tour", ".log");
    ProcessBuilder tour =
        new ProcessBuilder("bash", "samples/tour.sh")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    tour.environment().put("HUB_URL", hub.url(""));
    tour.environment().put("TOUR_WAIT", "60");
    Process process = tour.start();

    boolean ended = process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    String log = Files.readString(output, StandardCharsets.UTF_8);

    assertThat(ended).as("the tour ended within %d s:%n%s", SCRIPT_TIMEOUT_SECONDS, log).isTrue();
    assertThat(process.exitValue()).as("exit code of samples/tour.sh:%n%s", log).isZero();
    assertThat(log)
        .contains("\"orderId\":\"order-1001\",\"status\":\"CONFIRMED\"")
        .contains(
            "\"orderId\":\"order-1002\",\"status\":\"CANCELLED\",\"reason\":\"PAYMENT_FAILED\"")
        .contains("tour: passed")
        .doesNotContain("FAILED at step");
  }
}
