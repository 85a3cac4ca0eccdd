package io.eventhub.chat;

import static io.eventhub.persistence.SqlFiles.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.delivery.EventIdentity;
import io.eventhub.delivery.MalformedEventException;
import io.eventhub.http.LogSafe;
import io.eventhub.http.ProblemException;
import io.eventhub.intake.CloudEvents;
import io.eventhub.intake.EventCatalog;
import java.io.IOException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Chat messages in PostgreSQL: moderation stores each message once (by its {@code messageId}) with
 * its verdict and number in the chat, in one transaction that keeps the verdict event unpublished
 * until it is on {@code chat.events} (an outbox, as the order saga's); the message search; the
 * replay of what a live connection missed.
 *
 * <p>A chat's members are its first message's sender and recipients. A later message whose sender
 * or a recipient is not a member can never be delivered: it goes to the dead letters with the
 * reason.
 */
public class ChatMessages {

  /** The verdict event of a message, to publish. */
  public record Outcome(String id, String chatId, String messageId, ObjectNode data) {}

  /** A stored message as a reader sees it (never a BLOCKED one). */
  public record Stored(
      String messageId,
      long seq,
      String senderId,
      String text,
      String sentAt,
      String verdict,
      String rule) {}

  public static final String MODERATED = "ChatMessageModerated";
  static final String SOURCE = EventIdentity.hubSource("chat-moderation");
  private static final Logger LOG = LoggerFactory.getLogger(ChatMessages.class);

  private final NamedParameterJdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final ObjectMapper mapper;
  private final CloudEvents cloudEvents;
  private final EventCatalog catalog;
  private final ChatModeration moderation;
  private final ChatTokens tokens;
  private final int defaultLimit;
  private final int maxLimit;

  public ChatMessages(
      DataSource dataSource,
      ObjectMapper mapper,
      CloudEvents cloudEvents,
      EventCatalog catalog,
      ChatModeration moderation,
      ChatTokens tokens,
      int defaultLimit,
      int maxLimit) {
    this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.mapper = mapper;
    this.cloudEvents = cloudEvents;
    this.catalog = catalog;
    this.moderation = moderation;
    this.tokens = tokens;
    this.defaultLimit = defaultLimit;
    this.maxLimit = maxLimit;
  }

  // --- moderation (routes/moderation-on-chat-message-sent.camel.yaml) ---

  /**
   * Stores the consumed {@code ChatMessageSent} (its data checked against the schema already) with
   * its verdict; the verdict event to publish: one for a new message, the same one again for a
   * message stored but not yet published, none for one published already.
   */
  public List<Outcome> moderate(Exchange exchange) throws IOException {
    JsonNode data = mapper.readTree(exchange.getMessage().getBody(String.class));
    String source = exchange.getProperty("eventSource", String.class);
    String eventId = exchange.getProperty("eventId", String.class);
    String chatId = data.path("chatId").asText();
    String messageId = data.path("messageId").asText();
    String senderId = data.path("senderId").asText();
    String text = ChatModeration.clean(data.path("text").asText());
    if (text.isEmpty()) {
      throw new MalformedEventException(
          "The message's text is empty (once control characters are removed)");
    }
    Set<String> recipients = new LinkedHashSet<>();
    data.path("recipientIds").forEach(r -> recipients.add(r.asText()));
    recipients.remove(senderId);
    if (recipients.isEmpty()) {
      throw new MalformedEventException("The message has no recipient other than its sender");
    }
    String sentAt = OffsetDateTime.parse(data.path("sentAt").asText()).toString();
    return transaction.execute(
        t -> {
          Outcome existing = stored(messageId);
          if (existing != null) {
            return published(messageId) ? List.of() : List.of(existing);
          }
          Map<String, Object> chat = Map.of("chatId", chatId);
          if (jdbc.update(sql("chat/create-chat"), chat) == 1) {
            jdbc.update(sql("chat/add-member"), Map.of("chatId", chatId, "userId", senderId));
            recipients.forEach(
                r -> jdbc.update(sql("chat/add-member"), Map.of("chatId", chatId, "userId", r)));
          }
          long seq = jdbc.queryForObject(sql("chat/lock-chat"), chat, Long.class) + 1;
          Set<String> members =
              new TreeSet<>(jdbc.queryForList(sql("chat/members"), chat, String.class));
          if (!members.contains(senderId)) {
            throw new MalformedEventException(
                "The sender is not a member of the chat (members are set by its first message)");
          }
          if (!members.containsAll(recipients)) {
            throw new MalformedEventException(
                "A recipient is not a member of the chat (members are set by its first message)");
          }
          members.remove(senderId);
          ChatModeration.Decision decision = moderation.judge(text);
          Map<String, Object> row = new HashMap<>();
          row.put("messageId", messageId);
          row.put("chatId", chatId);
          row.put("seq", seq);
          row.put("senderId", senderId);
          row.put("recipients", String.join(",", members));
          row.put("body", text);
          row.put("sentAt", sentAt);
          row.put("verdict", decision.verdict().name());
          row.put("rule", decision.rule());
          row.put("source", source);
          row.put("eventId", eventId);
          if (jdbc.update(sql("chat/insert-message"), row) == 0) {
            // the same messageId stored meanwhile by another instance
            return List.of();
          }
          jdbc.update(sql("chat/set-last-seq"), Map.of("chatId", chatId, "seq", seq));
          if (decision.verdict() != ChatModeration.Verdict.ALLOWED) {
            LOG.info(
                "Chat message {} {} ({})",
                LogSafe.text(messageId),
                decision.verdict(),
                decision.rule());
          }
          return List.of(stored(messageId));
        });
  }

  /** Verdicts committed but not published for longer than {@code ageMillis} (the relay's work). */
  public List<Outcome> unpublished(long ageMillis) {
    List<Outcome> outcomes = new ArrayList<>();
    for (String messageId :
        jdbc.queryForList(sql("chat/unpublished"), Map.of("ageMillis", ageMillis), String.class)) {
      Outcome outcome = stored(messageId);
      if (outcome != null) {
        outcomes.add(outcome);
      }
    }
    return outcomes;
  }

  /** Makes the message the Kafka record of a verdict event (the body). */
  public void toKafkaRecord(Exchange exchange) {
    Outcome outcome = exchange.getMessage().getBody(Outcome.class);
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("id", outcome.id());
    attributes.put("type", MODERATED);
    attributes.put("source", SOURCE);
    attributes.put("time", Instant.now().toString());
    attributes.put("subject", outcome.chatId());
    // a CloudEvents extension attribute (ce_chatverdict): consumers filter without reading the data
    attributes.put("chatverdict", outcome.data().path("verdict").asText());
    exchange.setProperty("messageId", outcome.messageId());
    cloudEvents.writeRecord(
        exchange.getMessage(), attributes, catalog.route(MODERATED), outcome.data());
  }

  public void markPublished(String messageId) {
    jdbc.update(sql("chat/mark-published"), Map.of("messageId", messageId));
  }

  private boolean published(String messageId) {
    return !jdbc.query(
            sql("chat/find-message"),
            Map.of("messageId", messageId),
            (rs, n) -> rs.getTimestamp("published_at") != null)
        .contains(false);
  }

  /**
   * The verdict event of a stored message: its data carries the text unless the message is BLOCKED,
   * so a blocked text is never on chat.events.
   */
  private Outcome stored(String messageId) {
    List<Outcome> found =
        jdbc.query(
            sql("chat/find-message"), Map.of("messageId", messageId), (rs, n) -> outcome(rs));
    return found.isEmpty() ? null : found.get(0);
  }

  private Outcome outcome(ResultSet rs) throws SQLException {
    String chatId = rs.getString("chat_id");
    String messageId = rs.getString("message_id");
    ObjectNode data = mapper.createObjectNode();
    data.put("chatId", chatId);
    data.put("messageId", messageId);
    data.put("seq", rs.getLong("seq"));
    data.put("senderId", rs.getString("sender_id"));
    ArrayNode recipients = data.putArray("recipientIds");
    Array array = rs.getArray("recipient_ids");
    Arrays.stream((String[]) array.getArray()).forEach(recipients::add);
    data.put("sentAt", rs.getTimestamp("sent_at").toInstant().toString());
    String verdict = rs.getString("verdict");
    data.put("verdict", verdict);
    if (rs.getString("rule") != null) {
      data.put("rule", rs.getString("rule"));
    }
    if (!ChatModeration.Verdict.BLOCKED.name().equals(verdict)) {
      data.put("text", rs.getString("body"));
    }
    return new Outcome("chat-moderation-" + messageId, chatId, messageId, data);
  }

  // --- reading (routes/chats-api.camel.yaml, live delivery) ---

  /** Whether the user is a member of the chat. */
  public boolean isMember(String chatId, String userId) {
    Long n =
        jdbc.queryForObject(
            sql("chat/is-member"), Map.of("chatId", chatId, "userId", userId), Long.class);
    return n != null && n > 0;
  }

  /** The chat's last message number (0 for none). */
  public long lastSeq(String chatId) {
    return jdbc.queryForObject(sql("chat/last-seq"), Map.of("chatId", chatId), Long.class);
  }

  /** The chat's messages after {@code after} up to {@code upTo}, oldest first (never BLOCKED). */
  public List<Stored> since(String chatId, long after, long upTo, int limit) {
    return jdbc.query(
        sql("chat/since"),
        Map.of("chatId", chatId, "after", after, "upTo", upTo, "limit", limit),
        (rs, n) -> readStored(rs));
  }

  /**
   * {@code GET /api/chats/{chatId}/messages?q=&before=&limit=} for the user of the {@code
   * X-Chat-Token} header: newest first, {@code nextBefore} for the next page.
   */
  public Map<String, Object> page(Exchange exchange) {
    Message in = exchange.getMessage();
    String userId = tokens.userOf(in.getHeader("X-Chat-Token", String.class));
    String chatId = in.getHeader("chatId", String.class);
    if (chatId == null || chatId.isEmpty() || chatId.length() > 200) {
      throw badRequest("chatId must be 1 to 200 characters.");
    }
    if (!isMember(chatId, userId)) {
      throw new ProblemException(403, "Forbidden", "Only the chat's members can read it.");
    }
    int limit = intParameter(in.getHeader("limit", String.class), "limit", defaultLimit);
    if (limit < 1 || limit > maxLimit) {
      throw badRequest("limit must be between 1 and " + maxLimit + ".");
    }
    String beforeText = in.getHeader("before", String.class);
    Long before = null;
    if (beforeText != null && !beforeText.isEmpty()) {
      before = (long) intParameter(beforeText, "before", 0);
      if (before < 1) {
        throw badRequest("before must be a positive message number (seq).");
      }
    }
    String q = in.getHeader("q", String.class);
    if (q != null && q.isBlank()) {
      q = null;
    }
    if (q != null && (q.length() > 200 || !q.equals(ChatModeration.clean(q)))) {
      throw badRequest("q must be at most 200 characters, without control characters.");
    }
    Map<String, Object> p = new HashMap<>();
    p.put("chatId", chatId);
    p.put("before", before);
    p.put("q", q);
    p.put("limit", limit + 1);
    List<Stored> rows = jdbc.query(sql("chat/page"), p, (rs, n) -> readStored(rs));
    boolean more = rows.size() > limit;
    List<Stored> page = more ? rows.subList(0, limit) : rows;
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("chatId", chatId);
    answer.put("messages", page.stream().map(ChatMessages::view).toList());
    answer.put("nextBefore", more ? page.get(page.size() - 1).seq() : null);
    return answer;
  }

  /** A message as the API and the live stream show it. */
  public static Map<String, Object> view(Stored m) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("messageId", m.messageId());
    view.put("seq", m.seq());
    view.put("senderId", m.senderId());
    view.put("text", m.text());
    view.put("sentAt", m.sentAt());
    view.put("verdict", m.verdict());
    view.put("flagged", "FLAGGED".equals(m.verdict()));
    if (m.rule() != null) {
      view.put("rule", m.rule());
    }
    return view;
  }

  private static Stored readStored(ResultSet rs) throws SQLException {
    return new Stored(
        rs.getString("message_id"),
        rs.getLong("seq"),
        rs.getString("sender_id"),
        rs.getString("body"),
        rs.getTimestamp("sent_at").toInstant().toString(),
        rs.getString("verdict"),
        rs.getString("rule"));
  }

  private static int intParameter(String value, String name, int otherwise) {
    if (value == null || value.isEmpty()) {
      return otherwise;
    }
    if (value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
      throw badRequest(name + " must be a positive whole number.");
    }
    return Integer.parseInt(value);
  }

  private static ProblemException badRequest(String detail) {
    return new ProblemException(400, "Bad Request", detail);
  }
}
