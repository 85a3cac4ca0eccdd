package io.eventhub.support;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.spi.IdempotentRepository;

/**
 * Advice for an HTTP route with an inbox: a last step, run when the answer is made and before it
 * goes out, records whether the inbox already holds the exchange's event ({@code eventKey}). A
 * route that remembers the event only once the exchange is done (on the HTTP server's thread, after
 * the answer) records false.
 */
public abstract class InboxAtAnswer extends AdviceWithRouteBuilder {

  private static final Map<String, Boolean> HELD = new ConcurrentHashMap<>();

  private final String inbox;

  protected InboxAtAnswer(String inbox) {
    this.inbox = inbox;
  }

  @Override
  public void configure() {
    weaveAddLast()
        .process(
            exchange -> {
              String key = exchange.getProperty("eventKey", String.class);
              IdempotentRepository repository =
                  exchange
                      .getContext()
                      .getRegistry()
                      .lookupByNameAndType(inbox, IdempotentRepository.class);
              HELD.put(key, repository.contains(key));
            })
        .id("inbox-at-answer");
  }

  /** Whether the inbox held the event when its answer was made; empty if no answer was made. */
  public static Optional<Boolean> heldAtAnswer(String eventKey) {
    return Optional.ofNullable(HELD.get(eventKey));
  }

  /** For routes/payment-callback.camel.yaml. */
  public static final class PaymentCallback extends InboxAtAnswer {
    public PaymentCallback() {
      super("paymentCallbackInbox");
    }
  }

  /** For routes/intake-events.camel.yaml (one event). */
  public static final class Intake extends InboxAtAnswer {
    public Intake() {
      super("intakeInbox");
    }
  }
}
