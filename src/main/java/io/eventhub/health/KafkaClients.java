package io.eventhub.health;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The Kafka clients of the hub's routes (set as {@code
 * camel.component.kafka.kafka-client-factory}): Camel's own, each consumer seen through its {@link
 * Consumer} interface only.
 *
 * <p>Why: Camel's consumer check ({@code consumer:<route>} in {@code /observe/health}) asks a
 * {@code org.apache.kafka.clients.consumer.KafkaConsumer} whether its network client has a ready
 * connection, and that call waits for the client's lock, which the consumer's poll holds for up to
 * its poll timeout (500 ms). With about 40 consumers one health call took 4–6 s (measured), longer
 * than a readiness probe's usual timeout. Through the interface Camel's check reads only the
 * consumer's own state (created, subscribed, not reconnecting, not given up), without waiting; in
 * its place each consumer notes, on its own thread after each poll, whether it has joined its group
 * (the readiness check {@link KafkaConsumersHealthCheck} reads that note). Records, commits and
 * rebalancing are the real consumer's, unchanged.
 */
public class KafkaClients extends DefaultKafkaClientFactory {

  /** A consumer made here and not closed yet, and whether it has joined its group. */
  static final class Tracked {
    private final boolean grouped;
    private volatile boolean joined;

    Tracked(boolean grouped) {
      this.grouped = grouped;
    }

    boolean joined() {
      return joined;
    }
  }

  private final Set<Tracked> open = ConcurrentHashMap.newKeySet();

  @Override
  @SuppressWarnings("rawtypes")
  public Consumer getConsumer(Properties kafkaProps) {
    Consumer real = super.getConsumer(kafkaProps);
    Tracked tracked = new Tracked(kafkaProps.getProperty(ConsumerConfig.GROUP_ID_CONFIG) != null);
    open.add(tracked);
    InvocationHandler handler =
        (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          } finally {
            if (method.getName().equals("close")) {
              open.remove(tracked);
            }
          }
          if (!tracked.joined && method.getName().equals("poll")) {
            // on the consumer's own thread, as the client requires: a group generation means the
            // group has taken it in and given it its partitions (none when it has more members
            // than the topic partitions)
            tracked.joined = !tracked.grouped || generation(real) > 0;
          }
          return result;
        };
    return (Consumer)
        Proxy.newProxyInstance(
            KafkaClients.class.getClassLoader(), new Class<?>[] {Consumer.class}, handler);
  }

  @SuppressWarnings("rawtypes")
  private static int generation(Consumer consumer) {
    try {
      return consumer.groupMetadata().generationId();
    } catch (RuntimeException e) {
      // not known now (the consumer is closing): asked again after the next poll
      return -1;
    }
  }

  /** The consumers made here and not closed: how many, and how many have not joined yet. */
  int[] consumers() {
    int waiting = 0;
    int all = 0;
    for (Tracked tracked : open) {
      all++;
      if (!tracked.joined()) {
        waiting++;
      }
    }
    return new int[] {all, waiting};
  }
}
