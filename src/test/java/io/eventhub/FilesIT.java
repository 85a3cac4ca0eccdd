package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.files.FileProcessors;
import io.eventhub.support.FileSamples;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.Signatures;
import io.eventhub.support.TestEngines;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Files on the real engines: uploads of generated PNG, JPEG, PDF, text and broken images, the hub's
 * own processors reporting over signed HTTP callbacks, an outside processor played by the test (the
 * task {@code virus-scan} of text files), the aggregator's outcomes, the timeout, the status
 * stream, and bad input.
 */
class FilesIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String SECRET = "whsec_ZmlsZXMtaXQtc2VjcmV0LWZvci10ZXN0cw==";
  static final Duration WAIT = Duration.ofSeconds(60);
  static HubRunner hub;

  static Map<String, String> properties() {
    return Map.of(
        "hub.callbacks.files.secret", SECRET,
        "hub.files.dir", "target/hub-data/files-it",
        "hub.files.max-bytes", "2000000",
        // text files wait for an outside processor's virus-scan, which the test plays
        "hub.files.tasks.text-plain", "sha256,text,virus-scan",
        "hub.files.timeout-check-ms", "300",
        "hub.files.relay-period-ms", "500",
        "hub.files.events.poll-ms", "100",
        "hub.kafka.partitions", "3");
  }

  @BeforeAll
  static void startHub() throws Exception {
    TestEngines.start();
    hub = new HubRunner(properties());
  }

  @AfterAll
  static void stopHub() throws Exception {
    hub.close();
  }

  @Test
  void aPngIsCompletedWithThumbnailsOfTheRightSizeAndItsChecksum() throws Exception {
    byte[] png = FileSamples.png(800, 600);
    HttpResponse<String> upload =
        FileSamples.upload(hub.url("/api/files"), "cat.png", "image/png", png);
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
    JsonNode accepted = JSON.readTree(upload.body());
    String id = accepted.get("id").asText();
    assertThat(accepted.get("statusUrl").asText()).isEqualTo("/api/files/" + id);

    JsonNode file = awaitFinal(hub, id);
    assertThat(file.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(file.get("sha256").asText()).isEqualTo(FileProcessors.sha256(png));
    assertThat(file.get("name").asText()).isEqualTo("cat.png");
    assertThat(thumbnail(hub, file.at("/thumbnails/128").asText())).isEqualTo(List.of(128, 96));
    assertThat(thumbnail(hub, file.at("/thumbnails/512").asText())).isEqualTo(List.of(512, 384));
    await()
        .atMost(WAIT)
        .until(
            () ->
                KafkaProbe.readAll("files.events").stream()
                    .filter(r -> id.equals(r.key()))
                    .map(r -> KafkaProbe.header(r, "ce_type"))
                    .toList()
                    .containsAll(List.of("FileUploaded", "FileProcessed")));
  }

  @Test
  void aJpegAndAPdfAreCompleted() throws Exception {
    String jpeg =
        id(
            FileSamples.upload(
                hub.url("/api/files"), "p.jpg", "image/jpeg", FileSamples.jpeg(300, 600)));
    String pdf =
        id(
            FileSamples.upload(
                hub.url("/api/files"),
                "doc.pdf",
                "application/pdf",
                FileSamples.pdf("Hello from a PDF")));
    JsonNode jpegFile = awaitFinal(hub, jpeg);
    assertThat(jpegFile.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(thumbnail(hub, jpegFile.at("/thumbnails/128").asText())).isEqualTo(List.of(64, 128));
    JsonNode pdfFile = awaitFinal(hub, pdf);
    assertThat(pdfFile.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(pdfFile.get("text").asText()).contains("Hello from a PDF");
  }

  @Test
  void aCorruptImageAndADecompressionBombFailWithTheirReasons() throws Exception {
    String corrupt =
        id(
            FileSamples.upload(
                hub.url("/api/files"), "bad.png", "image/png", FileSamples.corruptPng()));
    String bomb =
        id(
            FileSamples.upload(
                hub.url("/api/files"),
                "bomb.png",
                "image/png",
                FileSamples.pngClaiming(100_000, 100_000)));
    JsonNode corruptFile = awaitFinal(hub, corrupt);
    assertThat(corruptFile.get("status").asText()).isEqualTo("FAILED");
    assertThat(corruptFile.get("reason").asText())
        .contains("TASK_FAILED")
        .contains("thumbnail-128");
    assertThat(corruptFile.at("/tasks/thumbnail-128/error").asText()).contains("corrupt image");
    assertThat(corruptFile.at("/tasks/sha256/status").asText()).isEqualTo("SUCCEEDED");
    JsonNode bombFile = awaitFinal(hub, bomb);
    assertThat(bombFile.get("status").asText()).isEqualTo("FAILED");
    assertThat(bombFile.at("/tasks/thumbnail-512/error").asText())
        .contains("claims 100000x100000 pixels")
        .contains("not decoded");
  }

  @Test
  void anOutsideProcessorReportsOverSignedHttpAndTheStreamSeesPendingToCompleted()
      throws Exception {
    String id =
        id(
            FileSamples.upload(
                hub.url("/api/files"),
                "notes.txt",
                "text/plain",
                "hello files\n".getBytes(StandardCharsets.UTF_8)));
    // the stream opens while the file waits for virus-scan
    CompletableFuture<HttpResponse<Stream<String>>> stream =
        HttpClient.newHttpClient()
            .sendAsync(
                HttpRequest.newBuilder(URI.create(hub.url("/api/files/" + id + "/events")))
                    .header("Authorization", "Bearer " + Http.TEST_TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
    await()
        .atMost(WAIT)
        .until(() -> view(hub, id).at("/tasks/text/status").asText().equals("SUCCEEDED"));
    assertThat(view(hub, id).get("text").asText()).isEqualTo("hello files\n");
    String good = "{\"task\":\"virus-scan\",\"status\":\"SUCCEEDED\",\"result\":{\"clean\":true}}";

    assertThat(callback(hub, id, good, "whsec_b3RoZXItc2VjcmV0").statusCode()).isEqualTo(401);
    assertThat(
            callback(hub, id, "{\"task\":\"ocr\",\"status\":\"SUCCEEDED\",\"result\":{}}", SECRET)
                .statusCode())
        .isEqualTo(400);
    assertThat(callback(hub, "00000000-0000-0000-0000-000000000000", good, SECRET).statusCode())
        .isEqualTo(404);
    assertThat(view(hub, id).get("status").asText()).isEqualTo("PENDING");

    assertThat(callback(hub, id, good, SECRET).statusCode()).isEqualTo(200);
    JsonNode file = awaitFinal(hub, id);
    assertThat(file.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(file.at("/tasks/virus-scan/result/clean").asBoolean()).isTrue();
    // the same callback again, and a contradicting one after completion: recorded, no change
    assertThat(callback(hub, id, good, SECRET).statusCode()).isEqualTo(200);
    assertThat(
            callback(
                    hub,
                    id,
                    "{\"task\":\"virus-scan\",\"status\":\"FAILED\",\"result\":{},\"error\":\"x\"}",
                    SECRET)
                .statusCode())
        .isEqualTo(200);
    assertThat(view(hub, id).get("status").asText()).isEqualTo("COMPLETED");
    assertThat(view(hub, id).at("/tasks/virus-scan/status").asText()).isEqualTo("SUCCEEDED");
    assertThat(query("select count(*) from file_callbacks where file_id = ? and not applied", id))
        .isEqualTo(2);
    assertThat(query("select completions from files where file_id = ?", id)).isEqualTo(1);

    List<String> statuses = new ArrayList<>();
    try (Stream<String> lines = stream.get().body()) {
      lines
          .filter(line -> line.startsWith("data: "))
          .forEach(line -> statuses.add(readStatus(line.substring(6))));
    }
    assertThat(stream.get().headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(statuses).first().isEqualTo("PENDING");
    assertThat(statuses).last().isEqualTo("COMPLETED");
  }

  @Test
  void aFileWithoutAllResultsByItsDeadlineIsPartial() throws Exception {
    String id =
        id(
            FileSamples.upload(
                hub.url("/api/files"),
                "late.txt",
                "text/plain",
                "late\n".getBytes(StandardCharsets.UTF_8)));
    await()
        .atMost(WAIT)
        .until(() -> view(hub, id).at("/tasks/text/status").asText().equals("SUCCEEDED"));
    // the deadline passes (on the database's clock); virus-scan never reported
    update("update files set deadline = now() - interval '1 second' where file_id = ?", id);
    JsonNode file = awaitFinal(hub, id);
    assertThat(file.get("status").asText()).isEqualTo("PARTIAL");
    assertThat(file.get("reason").asText()).isEqualTo("TIMEOUT: no result for virus-scan");
    // a late result is recorded and changes nothing
    assertThat(
            callback(
                    hub,
                    id,
                    "{\"task\":\"virus-scan\",\"status\":\"SUCCEEDED\",\"result\":{}}",
                    SECRET)
                .statusCode())
        .isEqualTo(200);
    assertThat(view(hub, id).get("status").asText()).isEqualTo("PARTIAL");
  }

  @Test
  void listsRecentFilesByStatus() throws Exception {
    String id =
        id(
            FileSamples.upload(
                hub.url("/api/files"), "l.png", "image/png", FileSamples.png(20, 20)));
    awaitFinal(hub, id);
    JsonNode list = JSON.readTree(Http.get(hub.url("/api/files?status=COMPLETED")).body());
    assertThat(list.get("files").findValuesAsText("id")).contains(id);
    assertThat(Http.get(hub.url("/api/files?status=NOPE")).statusCode()).isEqualTo(400);
  }

  // --- helpers, shared with FilesInstancesIT ---

  static String id(HttpResponse<String> upload) throws Exception {
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
    return JSON.readTree(upload.body()).get("id").asText();
  }

  static JsonNode view(HubRunner hub, String id) throws Exception {
    HttpResponse<String> answer = Http.get(hub.url("/api/files/" + id));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  static JsonNode awaitFinal(HubRunner hub, String id) throws Exception {
    await().atMost(WAIT).until(() -> !view(hub, id).get("status").asText().equals("PENDING"));
    return view(hub, id);
  }

  static List<Integer> thumbnail(HubRunner hub, String path) throws Exception {
    HttpResponse<byte[]> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(hub.url(path)))
                    .header("Authorization", "Bearer " + Http.TEST_TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("image/png");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(answer.body()));
    return List.of(image.getWidth(), image.getHeight());
  }

  static HttpResponse<String> callback(HubRunner hub, String id, String body, String secret) {
    return Http.post(
        hub.url("/callbacks/files/" + id),
        "application/json",
        body,
        Signatures.stripeHeaderNow(secret, body));
  }

  private static String readStatus(String json) {
    try {
      return JSON.readTree(json).get("status").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long query(String sql, String id) throws Exception {
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static void update(String sql, String id) throws Exception {
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, id);
      s.executeUpdate();
    }
  }

  static Connection connection() throws Exception {
    return DriverManager.getConnection(
        TestEngines.jdbcUrl(), System.getProperty("hub.db.user"), "");
  }
}
