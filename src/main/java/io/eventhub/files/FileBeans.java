package io.eventhub.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.Settings;
import io.eventhub.callbacks.WebhookVerifier;
import io.eventhub.http.Problems;
import io.eventhub.intake.CloudEvents;
import io.eventhub.metrics.HubMeters;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The beans of the files feature ({@code routes/files-api.camel.yaml}, {@code
 * routes/file-tasks-on-file-uploaded.camel.yaml}, {@code
 * routes/file-processor-on-file-task-requested.camel.yaml}, {@code
 * routes/file-callback.camel.yaml}, {@code routes/file-results.camel.yaml}): the store, uploads,
 * the hub's processors, the aggregator and the status stream.
 */
public final class FileBeans {

  private static final Logger LOG = LoggerFactory.getLogger(FileBeans.class);

  private FileBeans() {}

  public static void bind(
      CamelContext context,
      Settings settings,
      DataSource dataSource,
      ObjectMapper mapper,
      CloudEvents cloudEvents,
      Problems problems)
      throws Exception {
    NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource);
    TransactionTemplate transaction =
        new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    FileStore store = new FolderFileStore(Path.of(settings.required("hub.files.dir")));
    Map<String, java.util.List<String>> tasks = new HashMap<>();
    java.util.List<String> allowed = settings.list("hub.files.allowed-types");
    for (String type : allowed) {
      tasks.put(type, settings.list(FileTaskPlan.key(type)));
    }
    FileTaskPlan plan = new FileTaskPlan(allowed, tasks);
    String secret = settings.orBlank("hub.callbacks.files.secret");
    WebhookVerifier verifier =
        new WebhookVerifier(
            secret, settings.longValue("hub.callbacks.tolerance-seconds"), Clock.systemUTC());
    verifier.setOutcomes(HubMeters.of(context.getRegistry()).callbackOutcomes("files"));
    if (!verifier.hasSecrets()) {
      LOG.warn("No hub.callbacks.files.secret is set: every file callback will be refused");
    }
    var registry = context.getRegistry();
    registry.bind("fileStore", store);
    registry.bind(
        "fileUploads",
        new FileUploads(
            store,
            plan,
            jdbc,
            transaction,
            cloudEvents,
            mapper,
            settings.longValue("hub.files.max-bytes"),
            settings.duration("hub.files.timeout"),
            Clock.systemUTC()));
    FileResults results =
        new FileResults(
            jdbc,
            transaction,
            mapper,
            cloudEvents,
            verifier,
            store,
            settings.integer("hub.callbacks.max-bytes"),
            Clock.systemUTC());
    registry.bind("fileResults", results);
    registry.bind(
        "fileProcessors",
        new FileProcessors(
            store,
            mapper,
            new FileCallbackSigner(secret, Clock.systemUTC()),
            settings.flag("hub.files.processors.enabled"),
            settings.list("hub.files.processors.tasks"),
            settings.longValue("hub.files.max-pixels"),
            settings.integer("hub.files.text.max-chars")));
    FileEventStream events =
        new FileEventStream(
            results, mapper, problems, settings.longValue("hub.files.events.poll-ms"));
    // the upload body's limit: the file's, and room for the multipart framing
    long maxBody = settings.longValue("hub.files.max-bytes") + 16 * 1024;
    context
        .getManagementStrategy()
        .addEventNotifier(new FileHttp(context, events, problems, maxBody));
  }
}
