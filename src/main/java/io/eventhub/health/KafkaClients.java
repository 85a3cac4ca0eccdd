package io.eventhub.health;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Properties;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The Kafka clients of the hub's routes (set as {@code
 * camel.component.kafka.kafka-client-factory}): Camel's own, each consumer seen through its {@link
 * Consumer} interface only.
 *
 * <p>Why: Camel's consumer check ({@code consumer:<route>} in {@code /observe/health}) asks a
 * {@code org.apache.kafka.clients.consumer.KafkaConsumer} whether its network client has a ready
 * connection, and that call waits for the client's lock, which the consumer's poll holds for up to
 * its poll timeout (500 ms). With about 40 consumers one health call took 4–6 s (measured), longer
 * than a readiness probe's usual timeout, and the hub's first 200 came that much after it was
 * ready. Through the interface the check reads only the consumer's own state (created, subscribed,
 * not reconnecting after a poll failure, not given up), without waiting; whether the broker answers
 * is the {@code kafka} check's ({@link KafkaHealthCheck}). Records, commits and rebalancing are the
 * real consumer's, unchanged.
 */
public class KafkaClients extends DefaultKafkaClientFactory {

  @Override
  @SuppressWarnings("rawtypes")
  public Consumer getConsumer(Properties kafkaProps) {
    return throughInterface(super.getConsumer(kafkaProps));
  }

  /** The consumer behind a proxy of the {@link Consumer} interface, every call passed on. */
  @SuppressWarnings("rawtypes")
  public static Consumer throughInterface(Consumer real) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Consumer)
        Proxy.newProxyInstance(
            KafkaClients.class.getClassLoader(), new Class<?>[] {Consumer.class}, handler);
  }
}
