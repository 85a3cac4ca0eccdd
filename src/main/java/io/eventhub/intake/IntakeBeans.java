package io.eventhub.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.Settings;
import io.eventhub.delivery.EventTypes;
import io.eventhub.delivery.InboxRepository;
import javax.sql.DataSource;
import org.apache.camel.spi.Registry;

/**
 * The beans of intake ({@code routes/intake-events.camel.yaml}): the event catalog (types, topics,
 * schemas), the CloudEvent reader, which other features use to publish events too, and intake's
 * inbox (the events accepted, by source and id), batch mode (eventBatches), the schemas served at
 * /api/schemas (eventSchemas), and the consumers' type check (eventTypes).
 */
public record IntakeBeans(EventCatalog catalog, CloudEvents cloudEvents) {

  public static IntakeBeans bind(
      Registry registry, Settings settings, DataSource dataSource, ObjectMapper mapper) {
    EventCatalog catalog = new EventCatalog(mapper);
    CloudEvents cloudEvents =
        new CloudEvents(
            mapper,
            catalog,
            settings.integer("hub.intake.max-bytes"),
            settings.required("hub.schemas.base-url"));
    registry.bind("eventCatalog", catalog);
    registry.bind("cloudEvents", cloudEvents);
    InboxRepository inbox = new InboxRepository(dataSource, "intake");
    registry.bind("intakeInbox", inbox);
    registry.bind(
        "eventBatches",
        new EventBatches(cloudEvents, inbox, mapper, settings.integer("hub.intake.max-batch")));
    registry.bind("eventSchemas", new EventSchemas(catalog, mapper));
    // every consumer's first step: the types it handles, dead letters for records none can
    registry.bind("eventTypes", new EventTypes(catalog, mapper));
    return new IntakeBeans(catalog, cloudEvents);
  }
}
