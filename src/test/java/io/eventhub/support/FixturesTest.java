package io.eventhub.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.intake.EventCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The fixtures are valid events of the hub's catalog, and Fixtures fills in their keys. */
class FixturesTest {

  private static final Path DIR = Path.of("src/test/resources/fixtures");
  private static final Pattern KEY = Pattern.compile("\\$\\{([A-Za-z]+)}");

  @Test
  void everyEventFixtureMatchesItsTypesSchemaOnceFilledIn() throws IOException {
    EventCatalog catalog = new EventCatalog(new ObjectMapper());
    List<String> events = new ArrayList<>();
    for (String name : names()) {
      if (name.endsWith("-callback")) {
        continue; // a payment gateway's body, not an event of the catalog
      }
      String type =
          Arrays.stream(name.split("-"))
              .map(word -> Character.toUpperCase(word.charAt(0)) + word.substring(1))
              .collect(Collectors.joining());
      assertThat(catalog.types()).as("the event type of fixture %s", name).contains(type);
      assertThat(catalog.violations(catalog.route(type), filled(name))).as(name).isEmpty();
      events.add(type);
    }
    assertThat(events)
        .contains(
            "OrderCreated",
            "InventoryReserved",
            "InventoryRejected",
            "PaymentSucceeded",
            "PaymentFailed",
            "UserProfileUpdated");
  }

  @Test
  void everyKeyIsFilledInWhereverItIsInATextValue() throws IOException {
    for (String name : names()) {
      assertThat(filled(name).toString()).as(name).doesNotContain("${");
    }
    ObjectNode payment = Fixtures.json("payment-succeeded", "orderId", "order-9");
    assertThat(payment.get("orderId").asText()).isEqualTo("order-9");
    assertThat(payment.get("paymentId").asText()).isEqualTo("p-order-9");
    assertThat(payment.at("/amount/value").intValue()).isEqualTo(10);
  }

  @Test
  void valuesAreTakenAsTheyAreNotAsJsonOrPatterns() {
    String odd = "o-\"1\" $1 \\ ${x}";

    assertThat(Fixtures.json("order-confirmed", "orderId", odd).get("orderId").asText())
        .isEqualTo(odd);
  }

  @Test
  void theTextIsOneLineOfTheSameJson() throws IOException {
    String text = Fixtures.text("order-created", "orderId", "order-1");

    assertThat(text).doesNotContain("\n", " ");
    assertThat(new ObjectMapper().readTree(text))
        .isEqualTo(Fixtures.json("order-created", "orderId", "order-1"));
  }

  @Test
  void callbacksAreChosenByTheGatewaysType() {
    String failed = Fixtures.callback("payment.failed", "gw-1", "pay-1", "order-1");

    assertThat(failed)
        .isEqualTo(
            "{\"id\":\"gw-1\",\"type\":\"payment.failed\",\"data\":{\"paymentId\":\"pay-1\","
                + "\"orderId\":\"order-1\",\"amount\":{\"value\":42.5,\"currency\":\"EUR\"},"
                + "\"failureReason\":\"card_declined\"}}");
    assertThat(Fixtures.callback("payment.succeeded", "gw-2", "pay-2", "order-2"))
        .contains("\"type\":\"payment.succeeded\"")
        .doesNotContain("failureReason");
  }

  @Test
  void aMissingValueOrFixtureIsAnError() {
    assertThatThrownBy(() -> Fixtures.json("inventory-rejected", "orderId", "order-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inventory-rejected")
        .hasMessageContaining("reason");
    assertThatThrownBy(() -> Fixtures.json("order-created", "orderId"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fixtures.json("no-such-event"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-such-event");
  }

  private static List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      List<String> names =
          files
              .map(file -> file.getFileName().toString())
              .filter(file -> file.endsWith(".json"))
              .map(file -> file.substring(0, file.length() - ".json".length()))
              .sorted()
              .toList();
      assertThat(names).isNotEmpty();
      return names;
    }
  }

  /** The fixture with each of its keys filled in with a value of its own. */
  private static ObjectNode filled(String name) throws IOException {
    Matcher key = KEY.matcher(Files.readString(DIR.resolve(name + ".json")));
    List<String> keysAndValues = new ArrayList<>();
    while (key.find()) {
      if (!keysAndValues.contains(key.group(1))) {
        keysAndValues.add(key.group(1));
        keysAndValues.add(key.group(1) + "-7");
      }
    }
    return Fixtures.json(name, keysAndValues.toArray(String[]::new));
  }
}
