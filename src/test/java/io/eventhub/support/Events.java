package io.eventhub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Test events made from the samples a user sends with curl, with fresh ids. */
public final class Events {

  private Events() {}

  /** samples/order-created.json with a new event id and order id; returns {eventId, json}. */
  public static String[] orderCreated() {
    String eventId = "evt-" + UUID.randomUUID();
    String orderId = "order-" + UUID.randomUUID();
    String json =
        sample("order-created.json")
            .replace("evt-order-1001", eventId)
            .replace("order-1001", orderId);
    return new String[] {eventId, json};
  }

  /** The same order, for these two SKUs instead of the sample's. */
  public static String[] orderCreated(String firstSku, String secondSku) {
    String[] event = orderCreated();
    event[1] = event[1].replace("SKU-RED-MUG", firstSku).replace("SKU-BLUE-CAP", secondSku);
    return event;
  }

  public static String sample(String name) {
    try {
      return Files.readString(Path.of("samples", name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
