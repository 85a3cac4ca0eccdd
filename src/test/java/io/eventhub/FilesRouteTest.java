package io.eventhub;

import static io.eventhub.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.files.FileProcessors;
import io.eventhub.support.FileSamples;
import io.eventhub.support.RouteTestConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The files routes end to end without engines other than PostgreSQL: routes/files-api.camel.yaml
 * (upload), routes/file-tasks-on-file-uploaded.camel.yaml, routes/file-processor-on-file-task-
 * requested.camel.yaml (its signed callback caught at the HTTP mock),
 * routes/file-callback.camel.yaml and routes/file-results.camel.yaml (the decision); the consumers
 * replaced by direct endpoints.
 */
@CamelMainTest(
    configurationClasses = RouteTestConfiguration.class,
    replaceRouteFromWith = {
      "file-tasks-on-file-uploaded=direct:file-uploaded",
      "file-processor-on-file-task-requested=direct:file-task-requested"
    },
    mockEndpointsAndSkip = "kafka:.*|http:.*",
    properties = {
      "camel.main.routes-include-pattern=file:routes/delivery-conventions.camel.yaml,file:routes/consumer-templates.camel.yaml,file:routes/files-api.camel.yaml,file:routes/file-tasks-on-file-uploaded.camel.yaml,file:routes/file-processor-on-file-task-requested.camel.yaml,file:routes/file-callback.camel.yaml,file:routes/file-results.camel.yaml",
      "hub.callbacks.files.secret=" + FilesRouteTest.SECRET,
      "hub.files.dir=target/hub-data/files-route-test"
    })
class FilesRouteTest {

  static final String SECRET = "whsec_ZmlsZXMtcm91dGUtdGVzdA==";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Produce("direct:upload-file")
  ProducerTemplate uploads;

  @Produce("direct:file-uploaded")
  ProducerTemplate uploaded;

  @Produce("direct:file-task-requested")
  ProducerTemplate taskRequests;

  @Produce("direct:file-callback")
  ProducerTemplate callbacks;

  @EndpointInject("mock:kafka:events")
  MockEndpoint kafka;

  @AfterEach
  void reset() {
    MockEndpoint.resetMocks(kafka.getCamelContext());
  }

  @Test
  void anUploadedPngIsProcessedByTheHubsProcessorsAndCompleted() throws Exception {
    byte[] png = FileSamples.png(640, 480);
    kafka.expectedMessageCount(1);
    Exchange answer = upload("photo.png", "image/png", png);
    kafka.assertIsSatisfied();
    assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo("202");
    String fileId = JSON.readTree(answer.getMessage().getBody(String.class)).get("id").asText();
    Message fileUploaded = kafka.getExchanges().get(0).getMessage();
    assertThat(fileUploaded.getHeader("ce_type")).isEqualTo("FileUploaded");
    assertThat(fileUploaded.getHeader(KafkaConstants.KEY)).isEqualTo(fileId);
    assertThat(fileUploaded.getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("files.events");

    // FileUploaded -> one FileTaskRequested per task, on files.tasks
    kafka.reset();
    kafka.expectedMessageCount(3);
    consume(uploaded, fileUploaded, "files.events");
    kafka.assertIsSatisfied();
    List<Message> requests = kafka.getExchanges().stream().map(Exchange::getMessage).toList();
    assertThat(requests)
        .allMatch(r -> r.getHeader(KafkaConstants.OVERRIDE_TOPIC).equals("files.tasks"));

    // each request -> the hub's processor -> a signed callback, POSTed to the hub's own URL
    for (Message request : requests) {
      consume(taskRequests, request, "files.tasks");
    }
    MockEndpoint http = mockOfCallbacks();
    assertThat(http.getReceivedCounter()).isEqualTo(3);

    kafka.reset();
    kafka.expectedMessageCount(1);
    for (Exchange callback : http.getExchanges()) {
      Exchange applied =
          callbacks.send(
              e -> {
                e.getMessage().setBody(callback.getMessage().getBody(byte[].class));
                e.getMessage()
                    .setHeader(
                        "Stripe-Signature", callback.getMessage().getHeader("Stripe-Signature"));
                e.getMessage().setHeader("fileId", fileId);
              });
      assertThat(applied.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isIn(null, 200);
    }
    kafka.assertIsSatisfied();
    Message processed = kafka.getExchanges().get(0).getMessage();
    assertThat(processed.getHeader("ce_type")).isEqualTo("FileProcessed");
    JsonNode data = JSON.readTree(processed.getBody(String.class));
    assertThat(data.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(data.at("/results/sha256/result/sha256").asText())
        .isEqualTo(FileProcessors.sha256(png));
    assertThat(data.at("/results/thumbnail-128/result/width").asInt()).isEqualTo(128);
    assertThat(data.at("/results/thumbnail-128/result/height").asInt()).isEqualTo(96);
  }

  @Test
  void badUploadsAreProblems() throws Exception {
    assertProblem(upload("a.png", "image/png", new byte[0]), 400);
    // a text declared as an image, and an image declared as text
    assertProblem(upload("a.png", "image/png", "not a png".getBytes(StandardCharsets.UTF_8)), 415);
    assertProblem(upload("a.txt", "text/plain", FileSamples.png(4, 4)), 415);
    assertProblem(upload("a.exe", "application/x-msdownload", new byte[] {'M', 'Z'}), 415);
    assertProblem(upload("../../etc/passwd", "text/plain", "x".getBytes()), 400);
    assertProblem(upload("a\u0000.txt", "text/plain", "x".getBytes()), 400);
    assertProblem(upload("a".repeat(300) + ".txt", "text/plain", "x".getBytes()), 400);
  }

  private MockEndpoint mockOfCallbacks() {
    return kafka.getCamelContext().getEndpoints().stream()
        .filter(e -> e instanceof MockEndpoint)
        .map(MockEndpoint.class::cast)
        // the hub's own URL (a free port in route tests), mocked as mock:http:127.0.0.1
        .filter(e -> e.getEndpointUri().startsWith("mock://http"))
        .findFirst()
        .orElseThrow();
  }

  private Exchange upload(String name, String type, byte[] content) {
    return uploads.send(
        e -> {
          e.getMessage().setBody(FileSamples.multipart(name, type, content));
          e.getMessage()
              .setHeader(
                  Exchange.CONTENT_TYPE, "multipart/form-data; boundary=" + FileSamples.BOUNDARY);
        });
  }

  private static void consume(ProducerTemplate consumer, Message record, String topic) {
    Map<String, Object> headers = new HashMap<>();
    record
        .getHeaders()
        .forEach(
            (name, value) -> {
              if (name.startsWith("ce_")) {
                headers.put(name, value);
              }
            });
    headers.put(KafkaConstants.TOPIC, topic);
    consumer.sendBodyAndHeaders(record.getBody(String.class), headers);
  }
}
