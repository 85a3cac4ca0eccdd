package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.chat.ChatTokens;
import io.eventhub.http.ProblemException;
import io.eventhub.support.RouteTestConfiguration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.BeanInject;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chat routes on the test PostgreSQL, their Kafka consumers replaced by direct endpoints, Kafka
 * and the push service mocked: routes/moderation-on-chat-message-sent.camel.yaml,
 * routes/push-on-chat-message-moderated.camel.yaml,
 * routes/live-delivery-on-chat-message-moderated.camel.yaml and routes/chats-api.camel.yaml.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = {
      "moderation-on-chat-message-sent=direct:chat-moderation",
      "push-on-chat-message-moderated=direct:chat-push",
      "live-delivery-on-chat-message-moderated=direct:chat-live"
    },
    mockEndpointsAndSkip = "(http|kafka):.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/outside-services.camel.yaml,file:routes/consumer-templates.camel.yaml,file:routes/moderation-on-chat-message-sent.camel.yaml,file:routes/push-on-chat-message-moderated.camel.yaml,file:routes/live-delivery-on-chat-message-moderated.camel.yaml,file:routes/chats-api.camel.yaml",
      "hub.services.push.url=http://push.test/notify",
      "hub.chat.token-secret=route-test-secret-0123456789",
      "hub.chat.push.preview-length=10",
      "hub.retry.max-redeliveries=1",
      "hub.retry.initial-delay-ms=5",
      "hub.retry.max-delay-ms=20"
    })
class ChatRoutesRouteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:chat-moderation")
  ProducerTemplate moderation;

  @Produce("direct:chat-push")
  ProducerTemplate push;

  @Produce("direct:chat-live")
  ProducerTemplate live;

  @Produce("direct:list-chat-messages")
  ProducerTemplate api;

  @EndpointInject("mock:kafka:events")
  MockEndpoint published;

  @EndpointInject("mock:http:push.test/notify")
  MockEndpoint pushService;

  @EndpointInject("mock:kafka:dead-letters")
  MockEndpoint deadLetters;

  @BeanInject("chatTokens")
  ChatTokens tokens;

  private final String chatId = "chat-" + UUID.randomUUID();

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(published.getCamelContext());
  }

  @Test
  void aMessageIsStoredOnceAndItsVerdictPublishedOnceWhateverItsEventIds() throws Exception {
    String messageId = "msg-" + UUID.randomUUID();
    published.expectedMessageCount(1);

    send("ann", messageId, "Is the red mug back in stock?");
    send("ann", messageId, "Is the red mug back in stock?");

    published.assertIsSatisfied();
    var verdict = published.getExchanges().get(0).getMessage();
    assertThat(verdict.getHeader("ce_type")).isEqualTo("ChatMessageModerated");
    assertThat(verdict.getHeader("ce_id")).isEqualTo("chat-moderation-" + messageId);
    assertThat(verdict.getHeader("ce_source")).isEqualTo("/hub/chat-moderation");
    assertThat(verdict.getHeader("ce_chatverdict")).isEqualTo("ALLOWED");
    assertThat(verdict.getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("chat.events");
    assertThat(verdict.getHeader(KafkaConstants.KEY)).isEqualTo(chatId);
    JsonNode data = JSON.readTree(verdict.getBody(String.class));
    assertThat(data.path("seq").asLong()).isEqualTo(1);
    assertThat(data.path("recipientIds").toString()).isEqualTo("[\"ben\",\"cat\"]");
    assertThat(data.path("text").asText()).isEqualTo("Is the red mug back in stock?");
    assertThat(page("ben").path("messages")).hasSize(1);
  }

  @Test
  void offlineRecipientsArePushedOnceEachWithAPreviewAndBlockedMessagesNever() throws Exception {
    published.expectedMessageCount(2);
    send("ann", "msg-" + UUID.randomUUID(), "The parcel shipped today");
    send("ann", "msg-" + UUID.randomUUID(), "what a load of sh1t");
    published.assertIsSatisfied();
    var allowed = published.getExchanges().get(0).getMessage();
    var blocked = published.getExchanges().get(1).getMessage();
    assertThat(blocked.getHeader("ce_chatverdict")).isEqualTo("BLOCKED");
    JsonNode blockedData = JSON.readTree(blocked.getBody(String.class));
    assertThat(blockedData.path("rule").asText()).isEqualTo("blocked-word");
    assertThat(blockedData.has("text")).as("a blocked text is never on chat.events").isFalse();

    pushService.expectedMessageCount(2);
    for (var verdict : List.of(allowed, blocked, allowed)) {
      Map<String, Object> headers = new HashMap<>(verdict.getHeaders());
      headers.put(KafkaConstants.TOPIC, "chat.events");
      push.sendBodyAndHeaders(verdict.getBody(String.class), headers);
      live.sendBodyAndHeaders(verdict.getBody(String.class), headers);
    }
    pushService.assertIsSatisfied();
    deadLetters.expectedMessageCount(0);
    deadLetters.assertIsSatisfied();
    List<JsonNode> bodies = new java.util.ArrayList<>();
    for (Exchange call : pushService.getExchanges()) {
      bodies.add(JSON.readTree(call.getMessage().getBody(String.class)));
      assertThat(call.getMessage().getHeader("Idempotency-Key", String.class))
          .startsWith("/hub/chat-moderation chat-moderation-");
    }
    assertThat(bodies).extracting(b -> b.path("userId").asText()).containsExactly("ben", "cat");
    assertThat(bodies.get(0).path("preview").asText()).isEqualTo("The parce…");
    assertThat(bodies.get(0).path("senderId").asText()).isEqualTo("ann");

    // the search never answers the blocked one; stems match
    JsonNode page = page("cat");
    assertThat(page.path("messages")).hasSize(1);
    assertThat(page.at("/messages/0/text").asText()).isEqualTo("The parcel shipped today");
  }

  @Test
  void aSenderWhoIsNotAMemberIsDeadLetteredWithTheReason() throws Exception {
    send("ann", "msg-" + UUID.randomUUID(), "hello");
    deadLetters.expectedMessageCount(1);

    send("zoe", "msg-" + UUID.randomUUID(), "let me in");

    deadLetters.assertIsSatisfied();
    assertThat(
            deadLetters
                .getExchanges()
                .get(0)
                .getMessage()
                .getHeader("hub_dlq_reason", String.class))
        .isEqualTo("The sender is not a member of the chat (members are set by its first message)");
    assertThat(
            deadLetters
                .getExchanges()
                .get(0)
                .getMessage()
                .getHeader(KafkaConstants.OVERRIDE_TOPIC, String.class))
        .isEqualTo("chat.events.moderation.dlq");
  }

  @Test
  void onlyMembersWithAValidTokenReadAChat() throws Exception {
    send("ann", "msg-" + UUID.randomUUID(), "hello");
    Exchange stranger = list(tokens.mint("zoe"));
    assertThat(stranger.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(403);
    Exchange forged = list(tokens.mint("ben") + "x");
    assertThat(forged.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
    assertThat(forged.getMessage().getBody(String.class)).doesNotContain("Exception");
  }

  private void send(String sender, String messageId, String text) {
    ObjectNode data = JSON.createObjectNode();
    data.put("chatId", chatId);
    data.put("messageId", messageId);
    data.put("senderId", sender);
    data.putArray("recipientIds").add("ben").add("cat").add(sender);
    data.put("text", text);
    data.put("sentAt", "2026-12-01T10:00:00Z");
    moderation.sendBodyAndHeaders(
        data.toString(),
        Map.of(
            "ce_type",
            "ChatMessageSent",
            "ce_id",
            "evt-" + UUID.randomUUID(),
            "ce_source",
            "/test/chat",
            KafkaConstants.TOPIC,
            "chat.events"));
  }

  private Exchange list(String token) {
    return api.send(
        e -> {
          e.getMessage().setHeader("chatId", chatId);
          e.getMessage().setHeader("X-Chat-Token", token);
        });
  }

  private JsonNode page(String user) throws Exception {
    Exchange answer = list(tokens.mint(user));
    if (answer.getException() != null) {
      throw new ProblemException(500, "x", answer.getException().toString());
    }
    return JSON.readTree(answer.getMessage().getBody(String.class));
  }
}
