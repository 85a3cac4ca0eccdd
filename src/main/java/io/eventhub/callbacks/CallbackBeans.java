package io.eventhub.callbacks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.Settings;
import io.eventhub.delivery.InboxRepository;
import io.eventhub.intake.CloudEvents;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans of the payment gateway's callbacks ({@code routes/payment-callback.camel.yaml}): the
 * verifier and reader of a callback, and the inbox of the gateway's event ids.
 */
public final class CallbackBeans {

  private static final Logger LOG = LoggerFactory.getLogger(CallbackBeans.class);

  private CallbackBeans() {}

  public static void bind(
      Registry registry,
      Settings settings,
      DataSource dataSource,
      ObjectMapper mapper,
      CloudEvents cloudEvents) {
    WebhookVerifier verifier =
        new WebhookVerifier(
            settings.orBlank("hub.callbacks.payments.secret"),
            settings.longValue("hub.callbacks.tolerance-seconds"),
            Clock.systemUTC());
    if (!verifier.hasSecrets()) {
      LOG.warn("No hub.callbacks.payments.secret is set: every payment callback will be refused");
    }
    registry.bind(
        "paymentCallbacks",
        new PaymentCallbacks(
            verifier,
            cloudEvents,
            mapper,
            settings.integer("hub.callbacks.max-bytes"),
            Clock.systemUTC()));
    registry.bind("paymentCallbackInbox", new InboxRepository(dataSource, "payment-gateway"));
  }
}
