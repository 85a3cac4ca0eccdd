package io.eventhub.logs;

import io.eventhub.Settings;
import org.apache.camel.spi.Registry;

/**
 * What the hub logs and how: the log format ({@code hub.log.format}) and the one line of each dead
 * letter ({@code failureLog}, routes/delivery-conventions.camel.yaml). The correlation ids come
 * into the MDC through camel-mdc ({@code camel.mdc.*} in application.properties).
 */
public final class LogBeans {

  private LogBeans() {}

  public static void bind(Registry registry, Settings settings) {
    LogFormat.apply(settings.required("hub.log.format"));
    registry.bind("failureLog", new FailureLog());
  }
}
