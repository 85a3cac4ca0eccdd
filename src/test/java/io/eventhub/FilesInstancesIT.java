package io.eventhub;

import static io.eventhub.FilesIT.awaitFinal;
import static io.eventhub.FilesIT.callback;
import static io.eventhub.FilesIT.id;
import static io.eventhub.FilesIT.query;
import static io.eventhub.FilesIT.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventhub.support.FileSamples;
import io.eventhub.support.HubRunner;
import io.eventhub.support.KafkaProbe;
import io.eventhub.support.TestEngines;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The aggregator's state is the hub's PostgreSQL, not a hub's memory: a hub stopped while files are
 * processing, and two hubs side by side on the same engines, each taking callbacks.
 */
class FilesInstancesIT {

  static final String VIRUS_SCAN =
      "{\"task\":\"virus-scan\",\"status\":\"SUCCEEDED\",\"result\":{\"clean\":true}}";
  static HubRunner first;
  static HubRunner second;
  static String pngBeforeRestart;
  static String textBeforeRestart;

  @BeforeAll
  static void startTwoHubsAfterOneStopped() throws Exception {
    TestEngines.start();
    first = new HubRunner(FilesIT.properties());
    pngBeforeRestart =
        id(
            FileSamples.upload(
                first.url("/api/files"), "r.png", "image/png", FileSamples.png(300, 200)));
    textBeforeRestart =
        id(
            FileSamples.upload(
                first.url("/api/files"),
                "r.txt",
                "text/plain",
                "restart\n".getBytes(StandardCharsets.UTF_8)));
    // stopped with the files' tasks requested, maybe in flight
    first.close();
    first = new HubRunner(FilesIT.properties());
    second = new HubRunner(FilesIT.properties());
  }

  @AfterAll
  static void stopHubs() throws Exception {
    first.close();
    second.close();
  }

  @Test
  void filesUploadedBeforeARestartAreCompletedAfterIt() throws Exception {
    assertThat(awaitFinal(first, pngBeforeRestart).get("status").asText()).isEqualTo("COMPLETED");
    await()
        .atMost(FilesIT.WAIT)
        .until(
            () ->
                view(second, textBeforeRestart)
                    .at("/tasks/text/status")
                    .asText()
                    .equals("SUCCEEDED"));
    assertThat(callback(second, textBeforeRestart, VIRUS_SCAN, FilesIT.SECRET).statusCode())
        .isEqualTo(200);
    assertThat(awaitFinal(first, textBeforeRestart).get("status").asText()).isEqualTo("COMPLETED");
  }

  @Test
  void twoInstancesTakeFiftyUploadsAndCompleteEachOnce() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      HubRunner hub = i % 2 == 0 ? first : second;
      ids.add(
          id(
              FileSamples.upload(
                  hub.url("/api/files"),
                  "f" + i + ".txt",
                  "text/plain",
                  ("file " + i + "\n").getBytes(StandardCharsets.UTF_8))));
    }
    // the outside processor reports each file's last task to both instances at once
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (String id : ids) {
      for (HubRunner hub : List.of(first, second)) {
        calls.add(
            CompletableFuture.supplyAsync(
                () -> callback(hub, id, VIRUS_SCAN, FilesIT.SECRET).statusCode()));
      }
    }
    assertThat(calls.stream().map(CompletableFuture::join).toList()).containsOnly(200);
    for (String id : ids) {
      assertThat(awaitFinal(id.hashCode() % 2 == 0 ? first : second, id).get("status").asText())
          .isEqualTo("COMPLETED");
      assertThat(query("select completions from files where file_id = ?", id)).isEqualTo(1);
      assertThat(
              query(
                  "select count(*) from file_callbacks where file_id = ? and task = 'virus-scan'"
                      + " and applied",
                  id))
          .isEqualTo(1);
    }
    await()
        .atMost(FilesIT.WAIT)
        .untilAsserted(
            () -> {
              Map<String, List<String>> processed =
                  KafkaProbe.readAll("files.events").stream()
                      .filter(r -> "FileProcessed".equals(KafkaProbe.header(r, "ce_type")))
                      .filter(r -> ids.contains(r.key()))
                      .collect(
                          Collectors.groupingBy(
                              r -> r.key(),
                              Collectors.mapping(
                                  r -> KafkaProbe.header(r, "ce_id"), Collectors.toList())));
              assertThat(processed).hasSize(50);
              // one decision per file: any record published again carries the same event id
              assertThat(processed.values()).allMatch(list -> Set.copyOf(list).size() == 1);
            });
  }
}
