package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.logs.LogFormat;
import io.eventhub.support.Fixtures;
import io.eventhub.support.OrderRecords;
import io.eventhub.support.RouteTestConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.EndpointInject;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What the hub logs about a record, on the shipping route (consumer template, outside call, dead
 * letter route, camel-mdc as application.properties configures it): a record that fails for good is
 * exactly one WARN line with its event id, type, service and reason, and no stack trace; the
 * correlation ids (event id, type, service, order id) are in the MDC of the lines the routes write;
 * the JSON format writes each line as a JSON object with them; client ids are escaped.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = "shipping-on-order-created=direct:orders-events",
    mockEndpointsAndSkip = "(http|kafka):.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/outside-services.camel.yaml,file:routes/consumer-templates.camel.yaml,file:routes/shipping-on-order-created.camel.yaml",
      "hub.services.shipping.url=http://shipping.test/shipments",
      "hub.retry.max-redeliveries=2",
      "hub.retry.initial-delay-ms=5",
      "hub.retry.max-delay-ms=20"
    })
class LogsRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:orders-events")
  ProducerTemplate orders;

  @EndpointInject("mock:http:shipping.test/shipments")
  MockEndpoint shipping;

  @EndpointInject("mock:kafka:dead-letters")
  MockEndpoint deadLetters;

  private final LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger root = logback.getLogger(Logger.ROOT_LOGGER_NAME);

  /** Every event logged, its MDC taken on the thread that logged it. */
  private final ListAppender<ILoggingEvent> captured =
      new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
          event.prepareForDeferredProcessing();
          super.append(event);
        }
      };

  @BeforeEach
  void capture() {
    captured.setContext(logback);
    captured.start();
    root.addAppender(captured);
  }

  @AfterEach
  void reset() {
    root.detachAppender(captured);
    captured.stop();
    MockEndpoint.resetMocks(shipping.getCamelContext());
  }

  @Test
  void aRecordThatFailsForGoodIsOneWarnLineWithItsIdTypeServiceAndReason() throws Exception {
    String id = newId();
    String orderId = "order-" + id;
    shipping.whenAnyExchangeReceived(
        exchange -> {
          throw new HttpOperationFailedException(
              "http://shipping.test/shipments", 503, "Service Unavailable", null, Map.of(), "");
        });
    shipping.expectedMessageCount(3);
    deadLetters.expectedMessageCount(1);

    OrderRecords.consume(orders, id, "OrderCreated", data(orderId));

    shipping.assertIsSatisfied();
    deadLetters.assertIsSatisfied();
    List<ILoggingEvent> warnings = atLeast(Level.WARN);
    assertThat(warnings).as("WARN and ERROR lines of the failure").hasSize(1);
    ILoggingEvent line = warnings.get(0);
    assertThat(line.getFormattedMessage())
        .contains(id, "OrderCreated", "shipping", "orders.events", "3 attempts", "503");
    assertThat(line.getThrowableProxy()).as("no stack trace").isNull();
    assertThat(line.getMDCPropertyMap())
        .containsEntry("eventId", id)
        .containsEntry("eventType", "OrderCreated")
        .containsEntry("hubService", "shipping")
        .containsEntry("orderId", orderId);
    assertThat(line.getKeyValuePairs())
        .extracting(kv -> kv.key)
        .contains("eventId", "eventType", "service", "reason");
    assertThat(captured.list.stream().filter(e -> e.getThrowableProxy() != null))
        .as("no stack trace at any level but DEBUG")
        .allMatch(e -> e.getLevel().toInt() <= Level.DEBUG.toInt());
    assertThat(captured.list.stream().map(ILoggingEvent::getFormattedMessage))
        .as("each failed attempt, at INFO")
        .filteredOn(m -> m.contains("On delivery attempt"))
        .hasSize(3);
    assertThat(
            captured.list.stream()
                .filter(e -> e.getFormattedMessage().contains("On delivery attempt"))
                .map(ILoggingEvent::getLevel))
        .containsOnly(Level.INFO);
  }

  @Test
  void aRecordThatCannotBeReadIsOneWarnLineToo() throws Exception {
    String id = newId();
    deadLetters.expectedMessageCount(1);

    OrderRecords.consume(orders, id, "OrderCreated", "{\"orderId\": 12,");

    deadLetters.assertIsSatisfied();
    List<ILoggingEvent> warnings = atLeast(Level.WARN);
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getFormattedMessage())
        .contains(id, "OrderCreated", "shipping", "1 attempts", "not valid JSON");
  }

  @Test
  void theRoutesLinesCarryTheCorrelationIdsAndTheJsonFormatWritesThemAsJson() throws Exception {
    String id = newId();
    String orderId = "order-" + id;
    shipping.expectedMessageCount(1);

    OrderRecords.consume(orders, id, "OrderCreated", data(orderId));

    shipping.assertIsSatisfied();
    // the outside call's route (direct:call-outside-service) logs the acceptance
    ILoggingEvent accepted =
        captured.list.stream()
            .filter(e -> e.getFormattedMessage().equals("shipping accepted event " + id))
            .findFirst()
            .orElseThrow();
    assertThat(accepted.getMDCPropertyMap())
        .containsEntry("eventId", id)
        .containsEntry("eventType", "OrderCreated")
        .containsEntry("hubService", "shipping")
        .containsEntry("orderId", orderId)
        .containsKey("camel.routeId");

    JsonEncoder json = LogFormat.json(logback);
    for (ILoggingEvent event : captured.list) {
      String text = new String(json.encode(event), StandardCharsets.UTF_8);
      assertThat(text).as("one line per event").endsWith("\n");
      assertThat(text.strip()).doesNotContain("\n");
      JsonNode line = JSON.readTree(text);
      assertThat(line.isObject()).isTrue();
      assertThat(line.path("level").asText()).isEqualTo(event.getLevel().toString());
      assertThat(line.path("formattedMessage").asText()).isEqualTo(event.getFormattedMessage());
    }
    JsonNode line = JSON.readTree(json.encode(accepted));
    assertThat(line.path("mdc").path("eventId").asText()).isEqualTo(id);
    assertThat(line.path("mdc").path("orderId").asText()).isEqualTo(orderId);
    assertThat(line.path("mdc").path("hubService").asText()).isEqualTo("shipping");
    assertThat(line.path("loggerName").asText()).isNotBlank();
  }

  @Test
  void theTextFormatEndsALineWithItsCorrelationIdsEscaped() throws Exception {
    String id = newId() + "\r\nINFO forged";
    shipping.expectedMessageCount(1);

    OrderRecords.consume(orders, id, "OrderCreated", data("order-1"));

    shipping.assertIsSatisfied();
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(logback);
    text.setPattern(logback.getProperty("HUB_TEXT_PATTERN"));
    text.start();
    ILoggingEvent accepted =
        captured.list.stream()
            .filter(e -> e.getFormattedMessage().startsWith("shipping accepted event"))
            .findFirst()
            .orElseThrow();
    String line = new String(text.encode(accepted), StandardCharsets.UTF_8);
    assertThat(line.strip()).doesNotContain("\r", "\n");
    assertThat(line)
        .contains(
            "[eventId=" + id.replace("\r\n", "\\r\\n"),
            "eventType=OrderCreated",
            "hubService=shipping",
            "orderId=order-1]");
  }

  @Test
  void theRoutesCarryTheirDescriptionsIntoCamel() {
    var context = shipping.getCamelContext();
    assertThat(context.getRoute("dead-letter").getDescription())
        .startsWith("The dead letter channel of every Kafka consumer");
    assertThat(context.getRoute("call-outside-service").getDescription()).isNotBlank();
    assertThat(context.getRoute("shipping-on-order-created").getDescription())
        .as("a templated route has its template's")
        .startsWith("A Kafka consumer made from the deliver-to-outside-service template");
  }

  @Test
  void theFormatIsSwitchedByAProperty() {
    try {
      LogFormat.apply("json");
      assertThat(consoleEncoder()).isInstanceOf(JsonEncoder.class);
      LogFormat.apply("text");
      assertThat(consoleEncoder()).isInstanceOf(PatternLayoutEncoder.class);
    } finally {
      LogFormat.apply("text");
    }
  }

  private Object consoleEncoder() {
    var appenders = root.iteratorForAppenders();
    while (appenders.hasNext()) {
      var appender = appenders.next();
      if (appender.getName() != null && appender.getName().startsWith("console")) {
        return ((ch.qos.logback.core.OutputStreamAppender<ILoggingEvent>) appender).getEncoder();
      }
    }
    throw new AssertionError("logback.xml has a console appender");
  }

  /**
   * The hub's and Camel's lines at this level or above; not the Kafka client's, whose producer
   * warns here that a route test's broker address (127.0.0.1:1) has no broker.
   */
  private List<ILoggingEvent> atLeast(Level level) {
    return captured.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(level))
        .filter(e -> !e.getLoggerName().startsWith("org.apache.kafka"))
        .toList();
  }

  private static String data(String orderId) {
    return Fixtures.text("order-created", "orderId", orderId);
  }

  private static String newId() {
    return "evt-" + UUID.randomUUID();
  }
}
