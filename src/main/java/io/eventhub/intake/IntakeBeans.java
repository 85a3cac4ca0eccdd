package io.eventhub.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.Settings;
import org.apache.camel.spi.Registry;

/**
 * The beans of intake ({@code routes/intake-events.camel.yaml}): the event catalog (types, topics,
 * schemas) and the CloudEvent reader, which other features use to publish events too.
 */
public record IntakeBeans(EventCatalog catalog, CloudEvents cloudEvents) {

  public static IntakeBeans bind(Registry registry, Settings settings, ObjectMapper mapper) {
    EventCatalog catalog = new EventCatalog(mapper);
    CloudEvents cloudEvents =
        new CloudEvents(mapper, catalog, settings.integer("hub.intake.max-bytes"));
    registry.bind("eventCatalog", catalog);
    registry.bind("cloudEvents", cloudEvents);
    return new IntakeBeans(catalog, cloudEvents);
  }
}
