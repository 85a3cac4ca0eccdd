package io.eventhub.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.SseClient;
import io.eventhub.support.TestEngines;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Chat under load, on the whole hub: one chat of 8 senders and a reader, all connected live (SSE),
 * a push stand-in for anyone offline. First a steady rate (send-to-delivery latency at the reader,
 * from the POST to /api/events to the SSE event), then a burst as fast as 8 clients post
 * (messages/s delivered). Run with {@code mvn -q test-compile exec:java@chat-bench} ({@code
 * -Dbench.rate=R -Dbench.seconds=S -Dbench.burst=N}); writes docs/benchmarks/chat.md.
 */
public final class ChatBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SENDERS = 8;

  private ChatBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rate = Integer.getInteger("bench.rate", 50);
    int seconds = Integer.getInteger("bench.seconds", 20);
    int burst = Integer.getInteger("bench.burst", 1000);
    TestEngines.start();
    List<String> lines = new ArrayList<>();
    try (FakeService push = new FakeService();
        HubRunner hub =
            new HubRunner(
                Map.of(
                    "hub.services.push.url",
                    push.url("/push"),
                    "hub.chat.token-secret",
                    "chat-bench-secret-0123456789"))) {
      String chatId = "chat-bench-" + UUID.randomUUID();
      List<String> members = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        members.add("sender-" + i);
      }
      members.add("reader");
      post(
          hub,
          Events.chatMessageSent(chatId, members, "sender-0", "msg-" + UUID.randomUUID(), "hello"));
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> messagesStored(hub, chatId, token(hub, "reader")) >= 1);
      List<SseClient> streams = new ArrayList<>();
      for (String member : members) {
        streams.add(SseClient.open(hub.url("/live/chats/" + chatId), token(hub, member), null));
      }
      SseClient reader = streams.get(streams.size() - 1);
      Map<String, Long> sentAt = new ConcurrentHashMap<>();

      // steady rate
      int steady = rate * seconds;
      ScheduledExecutorService ticker = Executors.newScheduledThreadPool(SENDERS);
      List<Future<?>> sends = Collections.synchronizedList(new ArrayList<>());
      long periodMicros = 1_000_000L / rate;
      long start = System.nanoTime();
      for (int i = 0; i < steady; i++) {
        int n = i;
        sends.add(
            ticker.schedule(
                () -> send(hub, chatId, members, "sender-" + (n % SENDERS), n, sentAt),
                n * periodMicros,
                TimeUnit.MICROSECONDS));
      }
      for (Future<?> f : new ArrayList<>(sends)) {
        f.get();
      }
      await().atMost(Duration.ofMinutes(5)).until(() -> reader.events().size() >= steady);
      double steadySeconds = (System.nanoTime() - start) / 1e9;
      List<Long> latencies = latencies(reader, sentAt);
      ticker.shutdown();

      // burst
      int before = reader.events().size();
      ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
      long burstStart = System.nanoTime();
      List<Future<?>> burstSends = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        int sender = s;
        burstSends.add(
            pool.submit(
                () -> {
                  for (int n = sender; n < burst; n += SENDERS) {
                    send(hub, chatId, members, "sender-" + sender, steady + n, sentAt);
                  }
                }));
      }
      for (Future<?> f : burstSends) {
        f.get();
      }
      double postSeconds = (System.nanoTime() - burstStart) / 1e9;
      await().atMost(Duration.ofMinutes(10)).until(() -> reader.events().size() >= before + burst);
      long lastArrival = reader.events().get(reader.events().size() - 1).receivedNanos();
      double burstSeconds = (lastArrival - burstStart) / 1e9;
      pool.shutdown();
      for (SseClient stream : streams) {
        stream.close();
      }

      lines.add("# Chat benchmark: ChatMessageSent → moderation → ChatMessageModerated → SSE");
      lines.add("");
      lines.add(
          "Date "
              + java.time.LocalDate.now()
              + ", "
              + Load.machine()
              + ". One chat, "
              + SENDERS
              + " senders and a reader, all connected live on the one hub. Command: `mvn -q"
              + " test-compile exec:java@chat-bench -Dbench.rate="
              + rate
              + " -Dbench.seconds="
              + seconds
              + " -Dbench.burst="
              + burst
              + "`.");
      lines.add("");
      lines.add("| run | messages | messages/s | send→delivery p50 ms | p99 ms | max ms |");
      lines.add("|---|---:|---:|---:|---:|---:|");
      lines.add(
          String.format(
              Locale.ROOT,
              "| steady %d msg/s for %d s | %d | %.0f | %.1f | %.1f | %.1f |",
              rate,
              seconds,
              steady,
              steady / steadySeconds,
              percentile(latencies, 0.50),
              percentile(latencies, 0.99),
              percentile(latencies, 1.0)));
      List<Long> burstLatencies = latencies(reader, sentAt).subList(steady, steady + burst);
      lines.add(
          String.format(
              Locale.ROOT,
              "| burst, %d clients as fast as they can (posting took %.1f s) | %d | %.0f | %.1f |"
                  + " %.1f | %.1f |",
              SENDERS,
              postSeconds,
              burst,
              burst / burstSeconds,
              percentile(burstLatencies, 0.50),
              percentile(burstLatencies, 0.99),
              percentile(burstLatencies, 1.0)));
      lines.add("");
      lines.add(
          "Latency: from just before the POST to /api/events until the reader's SSE client read"
              + " the event (intake, Kafka, moderation in a PostgreSQL transaction, the verdict"
              + " event on Kafka, the live consumer, the connection). One chat is one partition:"
              + " its messages are moderated one at a time, in order. messages/s: messages"
              + " delivered over the time from the first send to the last delivery.");
    }
    Load.report("chat.md", lines);
    System.exit(0);
  }

  private static List<Long> latencies(SseClient reader, Map<String, Long> sentAt) {
    List<Long> latencies = new ArrayList<>();
    for (SseClient.Event e : reader.events()) {
      Long sent = sentAt.get(e.data().path("messageId").asText());
      if (sent != null) {
        latencies.add((e.receivedNanos() - sent) / 1000);
      }
    }
    return latencies;
  }

  private static double percentile(List<Long> micros, double p) {
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    int index = (int) Math.min(sorted.size() - 1, Math.floor(sorted.size() * p));
    return sorted.get(index) / 1000.0;
  }

  private static void send(
      HubRunner hub,
      String chatId,
      List<String> members,
      String sender,
      int n,
      Map<String, Long> sentAt) {
    String messageId = "msg-" + n + "-" + UUID.randomUUID();
    ObjectNode event =
        Events.chatMessageSent(chatId, members, sender, messageId, sender + " says " + n);
    sentAt.put(messageId, System.nanoTime());
    HttpResponse<String> response = post(hub, event);
    if (response.statusCode() != 202) {
      throw new IllegalStateException(response.statusCode() + " " + response.body());
    }
  }

  private static HttpResponse<String> post(HubRunner hub, ObjectNode event) {
    return Http.post(hub.url("/api/events"), "application/cloudevents+json", event.toString());
  }

  private static String token(HubRunner hub, String user) throws Exception {
    HttpResponse<String> minted =
        Http.post(
            hub.url("/api/chats/tokens"), "application/json", "{\"userId\":\"" + user + "\"}");
    return JSON.readTree(minted.body()).path("token").asText();
  }

  private static int messagesStored(HubRunner hub, String chatId, String token) throws Exception {
    HttpResponse<String> page =
        Http.post(hub.url("/api/chats/tokens"), "application/json", "{\"userId\":\"reader\"}");
    HttpResponse<String> list =
        Http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(hub.url("/api/chats/" + chatId + "/messages")))
                .header("Authorization", "Bearer " + Http.TEST_TOKEN)
                .header("X-Chat-Token", token)
                .GET()
                .build());
    return page.statusCode() == 200 && list.statusCode() == 200
        ? JSON.readTree(list.body()).path("messages").size()
        : 0;
  }
}
