package io.eventhub.routelint;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventhub.routelint.ReliabilityLint.Rule;
import io.eventhub.routelint.ReliabilityLint.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reliability lint of the Kafka consumer routes (runs in {@code mvn test}): the hub's own
 * routes pass it, and each rule fires on a bad route file of src/test/resources/routelint, naming
 * the file and the rule.
 */
class ReliabilityLintTest {

  private static final Path ROOT = Path.of("");
  private static final Path FIXTURES = Path.of("src/test/resources/routelint");

  /**
   * The shared route files a fixture is read with: its templates and conventions are the real ones.
   */
  private static final List<Path> SHARED =
      List.of(
          Path.of("routes/delivery-conventions.camel.yaml"),
          Path.of("routes/consumer-templates.camel.yaml"),
          Path.of("routes/outside-services.camel.yaml"));

  static List<Path> routeFiles() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("routes"))) {
      return files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList();
    }
  }

  @Test
  void everyConsumerRouteOfTheHubFollowsTheRules() throws IOException {
    List<Violation> violations = ReliabilityLint.check(ROOT, routeFiles());

    assertThat(violations).as("reliability lint of routes/").isEmpty();
  }

  @Test
  void theLintSeesEveryConsumerRouteTemplatedOrNot() throws IOException {
    List<String> consumers = ReliabilityLint.consumerRoutes(ROOT, routeFiles());

    assertThat(consumers)
        .contains(
            // templated (deliver-to-outside-service, consume-events)
            "shipping-on-order-created",
            "notification-on-user-profile-updated",
            "analytics-on-user-profile-updated",
            "push-on-chat-message-moderated",
            "live-delivery-on-chat-message-moderated",
            // routes of their own
            "inventory-on-order-created",
            "inventory-on-order-cancelled",
            "order-saga");
    assertThat(consumers)
        .as("every route allowed without an inbox is a consumer route (no stale entry)")
        .containsAll(ReliabilityLint.WITHOUT_INBOX.keySet());
  }

  @ParameterizedTest
  @CsvSource({
    "no-group-id.camel.yaml, GROUP_ID, no groupId",
    "shared-group-id.camel.yaml, GROUP_ID, is also the group of route billing-on-order-created",
    "no-error-handling.camel.yaml, ERROR_HANDLING, no routeConfigurationId: kafka-consumer",
    "own-error-handler.camel.yaml, ERROR_HANDLING, an errorHandler of its own",
    "no-inbox.camel.yaml, INBOX, no inbox",
    "templated-no-inbox.camel.yaml, INBOX, no inbox",
    "templated-bad-template.camel.yaml, GROUP_ID, no groupId",
    "templated-bad-template.camel.yaml, ERROR_HANDLING, no routeConfigurationId: kafka-consumer"
  })
  void aBadRouteFileFailsNamingTheFileAndTheRule(String fixture, Rule rule, String detail) {
    Path file = FIXTURES.resolve(fixture);
    List<Path> files = new ArrayList<>(SHARED);
    files.add(file);

    List<Violation> violations = ReliabilityLint.check(ROOT, files);

    assertThat(violations).as("violations of " + fixture).isNotEmpty();
    assertThat(violations)
        .as("only the bad file breaks rules")
        .allSatisfy(v -> assertThat(v.file()).isEqualTo(file));
    assertThat(violations.stream().map(Violation::toString))
        .as("the lint's messages")
        .anySatisfy(
            message ->
                assertThat(message)
                    .startsWith(file + ": route billing-")
                    .contains("breaks " + rule + ": ", detail));
  }

  @Test
  void aBeanListedAsIdempotentCountsOnlyWhileItsSourceSaysSo(@TempDir Path elsewhere)
      throws IOException {
    // the order saga's route, checked against a project whose OrderSaga claims no inbox
    for (String name : List.of("application.properties", "application-dev.properties")) {
      Files.copy(Path.of(name), elsewhere.resolve(name));
    }
    Path saga = elsewhere.resolve("src/main/java/io/eventhub/orders/OrderSaga.java");
    Files.createDirectories(saga.getParent());
    Files.writeString(
        saga,
        Files.readString(Path.of("src/main/java/io/eventhub/orders/OrderSaga.java"))
            .replace("sql(\"inbox/claim\")", "sql(\"orders/create-order\")"));
    List<Path> files = new ArrayList<>(SHARED);
    files.add(Path.of("routes/order-saga.camel.yaml"));

    List<Violation> violations = ReliabilityLint.check(elsewhere, files);

    assertThat(violations.stream().map(Violation::toString))
        .anySatisfy(
            message ->
                assertThat(message)
                    .startsWith("routes/order-saga.camel.yaml: route order-saga breaks INBOX: ")
                    .contains("orderSaga.apply is listed as idempotent but"));
    assertThat(ReliabilityLint.check(ROOT, files)).as("with the real OrderSaga").isEmpty();
  }

  @Test
  void eachBadFileBreaksOnlyTheRuleItIsAbout() {
    for (String fixture :
        List.of(
            "no-group-id.camel.yaml",
            "shared-group-id.camel.yaml",
            "no-error-handling.camel.yaml",
            "own-error-handler.camel.yaml",
            "no-inbox.camel.yaml",
            "templated-no-inbox.camel.yaml")) {
      List<Path> files = new ArrayList<>(SHARED);
      files.add(FIXTURES.resolve(fixture));
      assertThat(ReliabilityLint.check(ROOT, files).stream().map(Violation::rule).distinct())
          .as(fixture)
          .hasSize(1);
    }
  }
}
