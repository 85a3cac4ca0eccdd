package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.SseClient;
import io.eventhub.support.TestEngines;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chat end to end on the real engines, with two hub instances on the same Kafka and PostgreSQL:
 * moderation, live delivery over SSE (a real client), push through a real HTTP server standing in
 * for the push service, storage and search. The periodic catch-up of live connections is switched
 * off (an hour), so every live message here came through Kafka.
 */
class ChatIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SECRET = "chat-it-secret-0123456789";

  private static FakeService push;
  private static HubRunner a;
  private static HubRunner b;

  @BeforeAll
  static void start() throws Exception {
    TestEngines.start();
    push = new FakeService();
    a = new HubRunner(hub("a"));
    b = new HubRunner(hub("b"));
    awaitAssigned("chat-live-it-a");
    awaitAssigned("chat-live-it-b");
  }

  private static Map<String, String> hub(String name) {
    Map<String, String> p = new HashMap<>();
    p.put("hub.services.push.url", push.url("/push"));
    p.put("hub.chat.token-secret", SECRET);
    p.put("hub.chat.live.group-id", "chat-live-it-" + name);
    p.put("hub.chat.live.catch-up-ms", "3600000");
    p.put("hub.chat.push.preview-length", "12");
    p.put("hub.kafka.partitions", "3");
    return p;
  }

  @AfterAll
  static void stop() throws Exception {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    push.close();
  }

  @Test
  void anOnlineRecipientGetsMessagesLiveInOrderAndAnOfflineOneGetsOnePushEach() throws Exception {
    Chat chat = new Chat("alice", "bob", "carol");
    chat.send("alice", "hello both");
    chat.awaitStored(1);
    try (SseClient bob = live(a, chat.id, "bob", null)) {
      List<String> sent = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        sent.add(chat.send(i % 2 == 0 ? "carol" : "alice", "message number " + i));
      }
      List<String> toBob = sent.stream().filter(m -> !chat.sender(m).equals("bob")).toList();
      await().atMost(WAIT).until(() -> bob.messageIds().size() == toBob.size());
      assertThat(bob.messageIds()).containsExactlyElementsOf(toBob);
      assertThat(bob.events().get(0).id()).isEqualTo("2");
      assertThat(bob.events().get(0).data().path("text").asText()).isEqualTo("message number 1");

      // carol, offline, is pushed the messages she did not send; bob, online, none of these
      List<String> toCarol = new ArrayList<>(List.of(chat.first));
      sent.stream().filter(m -> !chat.sender(m).equals("carol")).forEach(toCarol::add);
      await().atMost(WAIT).until(() -> toCarol.stream().allMatch(m -> pushes(m, "carol") == 1));
      for (String m : sent) {
        assertThat(pushes(m, "bob")).as("push to online bob of %s", m).isZero();
      }
      FakeService.Call call = pushCalls(toCarol.get(1), "carol").get(0);
      JsonNode body = JSON.readTree(call.body());
      assertThat(body.path("senderId").asText()).isEqualTo("alice");
      assertThat(body.path("preview").asText()).isEqualTo("message num…");
      assertThat(call.idempotencyKey()).contains("carol");
    }
  }

  @Test
  void aBlockedMessageReachesNobodyAndCannotBeFound() throws Exception {
    Chat chat = new Chat("dave", "erin", "frank");
    chat.send("dave", "the parcel is on its way");
    chat.awaitStored(1);
    try (SseClient erin = live(a, chat.id, "erin", null)) {
      String blocked = chat.send("dave", "this parcel is sh1t");
      String after = chat.send("dave", "sorry, parcel shipping is slow");
      await().atMost(WAIT).until(() -> erin.messageIds().contains(after));
      assertThat(erin.messageIds()).containsExactly(after);
      // frank (offline) is pushed the others, never the blocked one
      await().atMost(WAIT).until(() -> pushes(after, "frank") == 1);
      assertThat(pushes(blocked, "frank")).isZero();
      assertThat(pushes(blocked, "erin")).isZero();
      // its verdict is on chat.events, without the text
      List<Map<String, String>> verdicts = KafkaProbe.records("chat.events");
      assertThat(
              verdicts.stream()
                  .filter(r -> ("chat-moderation-" + blocked).equals(r.get("ce_id")))
                  .findFirst()
                  .orElseThrow()
                  .get("value"))
          .contains("\"verdict\":\"BLOCKED\"")
          .contains("\"rule\":\"blocked-word\"")
          .doesNotContain("sh1t");
      assertThat(chat.search("erin", "parcel")).doesNotContain(blocked).contains(after);
      assertThat(chat.search("erin", null)).doesNotContain(blocked);
    }
  }

  @Test
  void searchFindsStemsNewestFirstInKeysetPagesMarkingFlaggedOnesForMembersOnly() throws Exception {
    Chat chat = new Chat("gina", "hank");
    String shipped = chat.send("gina", "The mugs shipped yesterday");
    String other = chat.send("hank", "Thanks, no rush");
    String flagged = chat.send("gina", "That courier is a scam, shipping took ages");
    chat.awaitStored(3);

    assertThat(chat.search("hank", "shipping")).containsExactly(flagged, shipped);
    JsonNode page = chat.page("hank", "limit=2");
    assertThat(ids(page)).containsExactly(flagged, other);
    assertThat(page.at("/messages/0/flagged").asBoolean()).isTrue();
    assertThat(page.at("/messages/0/rule").asText()).isEqualTo("flagged-word");
    assertThat(page.at("/messages/1/flagged").asBoolean()).isFalse();
    JsonNode next = chat.page("hank", "limit=2&before=" + page.path("nextBefore").asText());
    assertThat(ids(next)).containsExactly(shipped);
    assertThat(next.path("nextBefore").isNull()).isTrue();

    // not a member, no token, a bad limit
    assertThat(chat.get("mallory", "").statusCode()).isEqualTo(403);
    HttpResponse<String> noToken = Http.get(a.url("/api/chats/" + chat.id + "/messages"));
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(noToken.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(chat.get("hank", "limit=100000").statusCode()).isEqualTo(400);
    assertThat(chat.get("hank", "before=x").statusCode()).isEqualTo(400);
    try (SseClient stranger = live(a, chat.id, "mallory", null);
        SseClient anonymous = SseClient.open(a.url("/live/chats/" + chat.id), null, null)) {
      assertThat(stranger.status()).isEqualTo(403);
      assertThat(anonymous.status()).isEqualTo(401);
    }
    // EventSource cannot send headers: the token as a query parameter
    try (SseClient browser =
        SseClient.open(a.url("/live/chats/" + chat.id + "?token=" + token("hank")), null, null)) {
      assertThat(browser.status()).isEqualTo(200);
    }
  }

  @Test
  void oneMessageUnderTwoEventIdsIsOneRowOnePushAndOneLiveDelivery() throws Exception {
    Chat chat = new Chat("ivan", "judy", "kim");
    chat.send("ivan", "hi");
    chat.awaitStored(1);
    try (SseClient judy = live(b, chat.id, "judy", null)) {
      String messageId = "msg-" + UUID.randomUUID();
      ObjectNode event = chat.event("ivan", messageId, "the same message twice");
      assertThat(post(event).statusCode()).isEqualTo(202);
      event.put("id", "evt-" + UUID.randomUUID());
      assertThat(post(event).statusCode()).isEqualTo(202);
      String marker = chat.send("ivan", "after it");
      await().atMost(WAIT).until(() -> judy.messageIds().contains(marker));
      await().atMost(WAIT).until(() -> pushes(marker, "kim") == 1);
      assertThat(judy.messageIds()).containsExactly(messageId, marker);
      assertThat(pushes(messageId, "kim")).isOne();
      assertThat(chat.search("kim", null)).containsOnlyOnce(messageId);
    }
  }

  @Test
  void aReconnectWithTheLastSeenIdGetsExactlyTheMissedMessages() throws Exception {
    Chat chat = new Chat("liam", "mia");
    chat.send("liam", "one");
    chat.awaitStored(1);
    String lastSeen;
    try (SseClient mia = live(a, chat.id, "mia", null)) {
      String two = chat.send("liam", "two");
      await().atMost(WAIT).until(() -> mia.messageIds().contains(two));
      lastSeen = mia.events().get(mia.events().size() - 1).id();
    }
    List<String> missed = List.of(chat.send("liam", "three"), chat.send("liam", "four"));
    chat.awaitStored(4);
    try (SseClient mia = live(b, chat.id, "mia", lastSeen)) {
      await().atMost(WAIT).until(() -> mia.messageIds().size() >= 2);
      String five = chat.send("liam", "five");
      await().atMost(WAIT).until(() -> mia.messageIds().contains(five));
      assertThat(mia.messageIds()).containsExactly(missed.get(0), missed.get(1), five);
    }
  }

  @Test
  void aThousandMessagesFromEightSendersArriveInOrderAtEveryRecipientOnBothInstances()
      throws Exception {
    List<String> senders = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      senders.add("sender-" + i);
    }
    List<String> members = new ArrayList<>(senders);
    members.add("reader-a");
    members.add("reader-b");
    Chat chat = new Chat(members.toArray(String[]::new));
    chat.send("sender-0", "let's go");
    chat.awaitStored(1);
    // every member connected: the readers on either instance, the senders alternating
    List<SseClient> streams = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      streams.add(live(i % 2 == 0 ? a : b, chat.id, members.get(i), null));
    }
    try {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<List<String>>> sent = new ArrayList<>();
      for (String sender : senders) {
        sent.add(
            pool.submit(
                () -> {
                  List<String> ids = new ArrayList<>();
                  for (int n = 0; n < 125; n++) {
                    ids.add(chat.send(sender, sender + " says " + n));
                  }
                  return ids;
                }));
      }
      List<List<String>> bySender = new ArrayList<>();
      for (Future<List<String>> f : sent) {
        bySender.add(f.get());
      }
      pool.shutdown();
      Duration longer = Duration.ofSeconds(180);
      for (SseClient stream : streams) {
        await().atMost(longer).until(() -> stream.events().size() == 1000);
      }
      List<String> chatOrder = streams.get(0).messageIds();
      for (SseClient stream : streams) {
        List<String> got = stream.messageIds();
        assertThat(got).doesNotHaveDuplicates().hasSize(1000);
        // the chat's order, the same at every recipient: message numbers 2..1001, each once
        assertThat(got).containsExactlyElementsOf(chatOrder);
        List<Long> seqs = stream.events().stream().map(e -> Long.parseLong(e.id())).toList();
        assertThat(seqs).isSorted().first().isEqualTo(2L);
        assertThat(seqs.get(999)).isEqualTo(1001L);
        // and each sender's messages in the order it sent them
        for (List<String> own : bySender) {
          assertThat(got.stream().filter(own::contains).toList()).containsExactlyElementsOf(own);
        }
      }
      // all online: nobody was pushed any of them
      for (List<String> own : bySender) {
        for (String member : members) {
          assertThat(pushes(own.get(0), member)).isZero();
        }
      }
    } finally {
      for (SseClient stream : streams) {
        stream.close();
      }
    }
  }

  @Test
  void badMessagesAreRefusedAtIntakeOrDeadLetteredWithTheReasonAndTheChatGoesOn() throws Exception {
    Chat chat = new Chat("nina", "omar");
    chat.send("nina", "hi omar");
    chat.awaitStored(1);
    // at intake: 4xx problems
    ObjectNode noText = chat.event("nina", "msg-" + UUID.randomUUID(), "x");
    ((ObjectNode) noText.get("data")).remove("text");
    ObjectNode empty = chat.event("nina", "msg-" + UUID.randomUUID(), "");
    ObjectNode huge = chat.event("nina", "msg-" + UUID.randomUUID(), "a".repeat(10_001));
    ObjectNode noRecipients = chat.event("nina", "msg-" + UUID.randomUUID(), "x");
    ((ObjectNode) noRecipients.get("data")).putArray("recipientIds");
    ObjectNode hubMade = chat.event("nina", "msg-" + UUID.randomUUID(), "x");
    hubMade.put("type", "ChatMessageModerated");
    ((ObjectNode) hubMade.get("data")).put("seq", 2).put("verdict", "ALLOWED");
    for (ObjectNode bad : List.of(noText, empty, huge, noRecipients, hubMade)) {
      HttpResponse<String> answer = post(bad);
      assertThat(answer.statusCode()).as(answer.body()).isBetween(400, 499);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    assertThat(post(hubMade).statusCode()).isEqualTo(403);
    // é as one Latin-1 byte: not UTF-8
    byte[] notUtf8 =
        chat.event("nina", "msg-" + UUID.randomUUID(), "caf\u00e9")
            .toString()
            .getBytes(StandardCharsets.ISO_8859_1);
    HttpResponse<String> latin1 =
        Http.send(
            HttpRequest.newBuilder(URI.create(a.url("/api/events")))
                .header("Authorization", "Bearer " + Http.TEST_TOKEN)
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(notUtf8))
                .build());
    assertThat(latin1.statusCode()).isEqualTo(400);

    // past intake: the moderation's dead letters, with the reason
    ObjectNode stranger = chat.event("mallory", "msg-" + UUID.randomUUID(), "let me in");
    ObjectNode onlyControls = chat.event("nina", "msg-" + UUID.randomUUID(), "\u0001\u0007 ");
    ObjectNode outsider = chat.event("nina", "msg-" + UUID.randomUUID(), "who is this");
    ((ObjectNode) outsider.get("data")).putArray("recipientIds").add("omar").add("zed");
    for (ObjectNode bad : List.of(stranger, onlyControls, outsider)) {
      assertThat(post(bad).statusCode()).isEqualTo(202);
    }
    String cleaned = chat.send("nina", "clean\u0000 me\u001b[31m please");
    await()
        .atMost(WAIT)
        .until(() -> a.deadLetter("moderation", stranger.get("id").asText()) != null);
    assertThat(a.deadLetter("moderation", stranger.get("id").asText()).path("reason").asText())
        .contains("sender is not a member");
    await()
        .atMost(WAIT)
        .until(() -> a.deadLetter("moderation", outsider.get("id").asText()) != null);
    assertThat(a.deadLetter("moderation", outsider.get("id").asText()).path("reason").asText())
        .contains("recipient is not a member");
    await()
        .atMost(WAIT)
        .until(() -> a.deadLetter("moderation", onlyControls.get("id").asText()) != null);
    assertThat(a.deadLetter("moderation", onlyControls.get("id").asText()).path("reason").asText())
        .contains("text is empty");
    chat.awaitStored(2);
    JsonNode page = chat.page("omar", "");
    assertThat(ids(page)).containsExactly(cleaned, chat.first);
    assertThat(page.at("/messages/0/text").asText()).isEqualTo("clean me[31m please");
  }

  // --- helpers ---

  private static SseClient live(HubRunner hub, String chatId, String user, String lastEventId) {
    return SseClient.open(hub.url("/live/chats/" + chatId), token(user), lastEventId);
  }

  private static String token(String user) {
    HttpResponse<String> minted =
        Http.post(a.url("/api/chats/tokens"), "application/json", "{\"userId\":\"" + user + "\"}");
    assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
    try {
      return JSON.readTree(minted.body()).path("token").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> post(ObjectNode event) {
    return Http.post(a.url("/api/events"), "application/cloudevents+json", event.toString());
  }

  private static List<FakeService.Call> pushCalls(String messageId, String user) {
    return push.calls().stream()
        .filter(c -> c.answered() == 200)
        .filter(
            c -> {
              try {
                JsonNode body = JSON.readTree(c.body());
                return messageId.equals(body.path("messageId").asText())
                    && user.equals(body.path("userId").asText());
              } catch (Exception e) {
                return false;
              }
            })
        .toList();
  }

  private static long pushes(String messageId, String user) {
    return pushCalls(messageId, user).size();
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("messages").forEach(m -> ids.add(m.path("messageId").asText()));
    return ids;
  }

  private static void awaitAssigned(String group) {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestEngines.brokers());
    try (Admin admin = Admin.create(config)) {
      await()
          .atMost(WAIT)
          .until(
              () -> {
                ConsumerGroupDescription d =
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                return d.members().stream()
                    .anyMatch(m -> !m.assignment().topicPartitions().isEmpty());
              });
    }
  }

  /** A chat of its own per test; its first message (from the first member) sets its members. */
  private static final class Chat {
    final String id = "chat-" + UUID.randomUUID();
    final List<String> members;
    final Map<String, String> senders = new java.util.concurrent.ConcurrentHashMap<>();
    String first;

    Chat(String... members) {
      this.members = List.of(members);
    }

    String sender(String messageId) {
      return senders.get(messageId);
    }

    ObjectNode event(String sender, String messageId, String text) {
      senders.put(messageId, sender);
      return Events.chatMessageSent(id, members, sender, messageId, text);
    }

    String send(String sender, String text) {
      String messageId = "msg-" + UUID.randomUUID();
      HttpResponse<String> response = post(event(sender, messageId, text));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      if (first == null) {
        first = messageId;
      }
      return messageId;
    }

    void awaitStored(int count) {
      await()
          .atMost(WAIT)
          .until(
              () ->
                  get(members.get(0), "limit=200").statusCode() == 200
                      && JSON.readTree(get(members.get(0), "limit=200").body())
                              .path("messages")
                              .size()
                          >= count);
    }

    HttpResponse<String> get(String user, String query) {
      return Http.send(
          HttpRequest.newBuilder(
                  URI.create(
                      a.url(
                          "/api/chats/" + id + "/messages" + (query.isEmpty() ? "" : "?" + query))))
              .header("Authorization", "Bearer " + Http.TEST_TOKEN)
              .header("X-Chat-Token", token(user))
              .GET()
              .build());
    }

    JsonNode page(String user, String query) throws Exception {
      HttpResponse<String> response = get(user, query);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return JSON.readTree(response.body());
    }

    List<String> search(String user, String q) throws Exception {
      return ids(
          page(
              user,
              "limit=200"
                  + (q == null ? "" : "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8))));
    }
  }
}
