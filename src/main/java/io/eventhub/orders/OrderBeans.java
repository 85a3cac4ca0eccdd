package io.eventhub.orders;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.Settings;
import io.eventhub.intake.IntakeBeans;
import javax.sql.DataSource;
import org.apache.camel.spi.Registry;

/**
 * The beans of the order saga and the refunds ({@code routes/order-saga.camel.yaml}, {@code
 * routes/orders-api.camel.yaml}, {@code routes/payment-refunds.camel.yaml}).
 */
public final class OrderBeans {

  private OrderBeans() {}

  public static void bind(
      Registry registry,
      Settings settings,
      DataSource dataSource,
      ObjectMapper mapper,
      IntakeBeans intake) {
    registry.bind(
        "orderSaga",
        new OrderSaga(
            dataSource,
            mapper,
            intake.cloudEvents(),
            intake.catalog(),
            settings.duration("hub.orders.payment-timeout")));
    registry.bind(
        "refunds",
        new Refunds(
            dataSource,
            mapper,
            settings.longValue("hub.relay.lease-ms"),
            settings.longValue("hub.refunds.initial-delay-ms"),
            settings.longValue("hub.refunds.max-delay-ms"),
            settings.integer("hub.refunds.max-attempts")));
  }
}
