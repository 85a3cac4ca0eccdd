package io.eventhub.chat;

import static io.eventhub.persistence.SqlFiles.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.http.ProblemException;
import io.eventhub.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Live delivery over server-sent events: {@code GET /live/chats/{chatId}} on the platform-http
 * router, for a member with a chat token ({@code Authorization: Bearer <chat token>} or {@code
 * ?token=}, as EventSource cannot send headers). Each event's {@code id} is the message's number in
 * the chat (seq); a connection sends each number once and in order, skipping BLOCKED ones (they are
 * never read), and fills a gap from PostgreSQL before going on. A reconnect with {@code
 * Last-Event-ID} (or {@code ?lastEventId=}) gets what it missed from PostgreSQL; without, it starts
 * at the chat's current end.
 *
 * <p>Messages arrive from this instance's live consumer (a Kafka group of its own, so every
 * instance sees every verdict) and, as a safety net, from a periodic catch-up on PostgreSQL.
 * Presence: a row per user and instance with a lease, kept by a heartbeat, read by push.
 */
public class ChatLive implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ChatLive.class);
  static final int PAGE = 500;

  private final ChatMessages messages;
  private final ChatTokens tokens;
  private final Problems problems;
  private final ObjectMapper mapper;
  private final NamedParameterJdbcTemplate jdbc;
  private final long leaseMillis;
  private final String instanceId = UUID.randomUUID().toString();
  private final Map<String, Set<Connection>> byChat = new ConcurrentHashMap<>();
  private final Map<String, Integer> usersHere = new ConcurrentHashMap<>();
  // presence rows are written one at a time, in the order users come and go
  private final ExecutorService presenceWork =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "chat-presence");
            t.setDaemon(true);
            return t;
          });

  public ChatLive(
      DataSource dataSource,
      ChatMessages messages,
      ChatTokens tokens,
      Problems problems,
      ObjectMapper mapper,
      long leaseMillis) {
    this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    this.messages = messages;
    this.tokens = tokens;
    this.problems = problems;
    this.mapper = mapper;
    this.leaseMillis = leaseMillis;
  }

  /** One SSE connection: a user reading a chat from a message number on. */
  final class Connection {
    final String chatId;
    final String userId;
    final HttpServerResponse response;
    private final Object closing = new Object();
    long last;
    volatile boolean closed;

    Connection(String chatId, String userId, HttpServerResponse response, long last) {
      this.chatId = chatId;
      this.userId = userId;
      this.response = response;
      this.last = last;
    }

    /** Sends the message if it is the next one; fills a gap up to it from PostgreSQL first. */
    synchronized void offer(long seq, Map<String, Object> view) {
      if (closed || seq <= last) {
        return;
      }
      if (seq > last + 1) {
        pull(seq - 1);
      }
      if (!closed && seq > last) {
        send(seq, view);
      }
    }

    /** Sends what PostgreSQL has after {@code last}, up to {@code upTo}. */
    synchronized void pull(long upTo) {
      while (!closed && last < upTo) {
        List<ChatMessages.Stored> missed = messages.since(chatId, last, upTo, PAGE);
        missed.forEach(m -> send(m.seq(), ChatMessages.view(m)));
        if (missed.size() < PAGE) {
          // the numbers between are BLOCKED messages (or none): nothing to send for them
          last = Math.max(last, upTo);
          return;
        }
      }
    }

    private void send(long seq, Map<String, Object> view) {
      try {
        String data = mapper.writeValueAsString(view);
        response.write("id: " + seq + "\nevent: message\ndata: " + data + "\n\n");
        last = seq;
      } catch (JsonProcessingException | RuntimeException e) {
        close();
      }
    }

    synchronized void comment(String text) {
      if (!closed) {
        try {
          response.write(": " + text + "\n\n");
        } catch (RuntimeException e) {
          close();
        }
      }
    }

    void close() {
      synchronized (closing) {
        if (closed) {
          return;
        }
        closed = true;
      }
      Set<Connection> set = byChat.get(chatId);
      if (set != null) {
        set.remove(this);
      }
      left(userId);
    }
  }

  // --- HTTP (io.vertx, on the event loop: anything that blocks runs on a worker) ---

  @Override
  public void handle(RoutingContext ctx) {
    String chatId = ctx.pathParam("chatId");
    String token = ctx.request().getParam("token");
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (token == null
        && authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = authorization.substring(7).trim();
    }
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    if (lastEventId == null) {
      lastEventId = ctx.request().getParam("lastEventId");
    }
    String chatToken = token;
    String resumeFrom = lastEventId;
    ctx.vertx()
        .<Connection>executeBlocking(
            () -> open(chatId, chatToken, resumeFrom, ctx.response()), false)
        .onComplete(
            result -> {
              if (result.failed()) {
                refuse(ctx, result.cause());
              }
            });
  }

  private Connection open(String chatId, String token, String lastEventId, HttpServerResponse r) {
    String userId = tokens.userOf(token);
    if (chatId == null || chatId.isEmpty() || chatId.length() > 200) {
      throw new ProblemException(400, "Bad Request", "chatId must be 1 to 200 characters.");
    }
    if (!messages.isMember(chatId, userId)) {
      throw new ProblemException(403, "Forbidden", "Only the chat's members can read it.");
    }
    long from;
    if (lastEventId == null || lastEventId.isBlank()) {
      from = messages.lastSeq(chatId);
    } else if (lastEventId.length() <= 18 && lastEventId.chars().allMatch(Character::isDigit)) {
      // an id past the chat's end (not one this hub sent) resumes at the end
      from = Math.min(Long.parseLong(lastEventId), messages.lastSeq(chatId));
    } else {
      throw new ProblemException(
          400, "Bad Request", "Last-Event-ID must be a message number (the id of an event).");
    }
    Connection connection = new Connection(chatId, userId, r, from);
    synchronized (connection) {
      r.setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .putHeader("X-Accel-Buffering", "no");
      r.write("retry: 2000\n: connected\n\n");
      r.closeHandler(v -> connection.close());
      r.exceptionHandler(e -> connection.close());
      joined(userId);
      byChat.computeIfAbsent(chatId, c -> ConcurrentHashMap.newKeySet()).add(connection);
      // what it missed, and anything committed while it connected
      connection.pull(messages.lastSeq(chatId));
    }
    LOG.debug("Live connection to chat {} from seq {}", chatId, from);
    return connection;
  }

  private void refuse(RoutingContext ctx, Throwable cause) {
    int status = 500;
    String title = "Internal Server Error";
    String detail = "The live stream could not be opened.";
    if (cause instanceof ProblemException p) {
      status = p.status();
      title = p.title();
      detail = p.getMessage();
    } else {
      LOG.error("Live stream failed to open", cause);
    }
    if (!ctx.response().headWritten()) {
      ctx.response()
          .setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
          .end(problems.json(status, title, detail, ctx.request().path()));
    }
  }

  // --- from the routes (routes/live-delivery-on-chat-message-moderated.camel.yaml) ---

  /** Sends a verdict event's message (ALLOWED or FLAGGED) to this instance's connections. */
  public void deliver(Exchange exchange) throws IOException {
    JsonNode data = mapper.readTree(exchange.getMessage().getBody(String.class));
    if ("BLOCKED".equals(data.path("verdict").asText())) {
      return;
    }
    Set<Connection> connections = byChat.get(data.path("chatId").asText());
    if (connections == null || connections.isEmpty()) {
      return;
    }
    ChatMessages.Stored m =
        new ChatMessages.Stored(
            data.path("messageId").asText(),
            data.path("seq").asLong(),
            data.path("senderId").asText(),
            data.path("text").asText(),
            data.path("sentAt").asText(),
            data.path("verdict").asText(),
            data.hasNonNull("rule") ? data.path("rule").asText() : null);
    Map<String, Object> view = ChatMessages.view(m);
    for (Connection c : connections) {
      c.offer(m.seq(), view);
    }
  }

  /** The safety net: every connection gets what PostgreSQL has that it has not sent yet. */
  public void catchUp() {
    for (Map.Entry<String, Set<Connection>> chat : byChat.entrySet()) {
      if (chat.getValue().isEmpty()) {
        continue;
      }
      long last = messages.lastSeq(chat.getKey());
      for (Connection c : chat.getValue()) {
        c.pull(last);
        c.comment("keep-alive");
      }
    }
  }

  /** Renews the presence lease of every user connected here. */
  public void heartbeat() throws Exception {
    presenceWork
        .submit(
            () -> {
              usersHere.keySet().forEach(this::markOnline);
              jdbc.update(sql("chat/presence-expired"), Map.of());
            })
        .get();
  }

  /** Which of these users have a live connection on any instance (leases on the database clock). */
  public Set<String> online(java.util.Collection<String> userIds) {
    if (userIds.isEmpty()) {
      return Set.of();
    }
    return Set.copyOf(
        jdbc.queryForList(
            sql("chat/online-users"), Map.of("userIds", List.copyOf(userIds)), String.class));
  }

  /** Open connections on this instance (for tests and the log). */
  public int connections() {
    return byChat.values().stream().mapToInt(Set::size).sum();
  }

  /** Closes every connection (at shutdown): their users are offline here. */
  public void closeAll() {
    byChat
        .values()
        .forEach(
            set ->
                List.copyOf(set)
                    .forEach(
                        c -> {
                          try {
                            c.response.end();
                          } catch (RuntimeException e) {
                            // already gone
                          }
                          c.close();
                        }));
  }

  private void joined(String userId) {
    usersHere.merge(userId, 1, Integer::sum);
    try {
      presenceWork.submit(() -> markOnline(userId)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Off the event loop, in order with the user's next connection. */
  private void left(String userId) {
    usersHere.computeIfPresent(userId, (u, n) -> n <= 1 ? null : n - 1);
    presenceWork.execute(
        () -> {
          if (usersHere.containsKey(userId)) {
            return;
          }
          try {
            jdbc.update(
                sql("chat/presence-offline"), Map.of("userId", userId, "instanceId", instanceId));
          } catch (RuntimeException e) {
            LOG.warn("Presence of a user not cleared (its lease runs out): {}", e.toString());
          }
        });
  }

  private void markOnline(String userId) {
    Map<String, Object> p = new HashMap<>();
    p.put("userId", userId);
    p.put("instanceId", instanceId);
    p.put("leaseMillis", leaseMillis);
    jdbc.update(sql("chat/presence-online"), p);
  }
}
