package io.eventhub.support;

import io.eventhub.health.KafkaClients;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The hub's Kafka clients, real ones on the real broker, whose consumers can be made to fail one
 * offset commit the way a broker restart fails it: {@code commitSync} of a chosen partition and
 * offset throws the client's {@link TimeoutException}, after a hook ran (for example, sending the
 * next record of that partition). Set with {@code
 * camel.component.kafka.kafka-client-factory=#class:io.eventhub.support.CommitFaults}.
 */
public class CommitFaults extends KafkaClients {

  /** One armed fault: the group, the commit it fails, and what runs just before it fails. */
  public record Fault(
      String group, TopicPartition partition, long offset, Consumer<TopicPartition> before) {}

  private static final AtomicReference<Fault> ARMED = new AtomicReference<>();
  private static final AtomicReference<Fault> FIRED = new AtomicReference<>();

  /**
   * Fails the group's next commit of this offset (the next offset to read, that is the last
   * processed record's offset + 1) on this partition, once.
   */
  public static void failCommit(Fault fault) {
    FIRED.set(null);
    ARMED.set(fault);
  }

  /** Whether the armed fault has fired. */
  public static boolean fired() {
    return FIRED.get() != null;
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public org.apache.kafka.clients.consumer.Consumer getConsumer(Properties kafkaProps) {
    org.apache.kafka.clients.consumer.Consumer real = super.getConsumer(kafkaProps);
    String group = kafkaProps.getProperty(ConsumerConfig.GROUP_ID_CONFIG);
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("commitSync") && args != null && args[0] instanceof Map) {
            failIfArmed(group, (Map<TopicPartition, OffsetAndMetadata>) args[0]);
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (org.apache.kafka.clients.consumer.Consumer)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {org.apache.kafka.clients.consumer.Consumer.class},
            handler);
  }

  private static void failIfArmed(String group, Map<TopicPartition, OffsetAndMetadata> offsets) {
    Fault fault = ARMED.get();
    if (fault == null || !fault.group().equals(group)) {
      return;
    }
    OffsetAndMetadata offset = offsets.get(fault.partition());
    if (offset == null || offset.offset() != fault.offset() || !ARMED.compareAndSet(fault, null)) {
      return;
    }
    fault.before().accept(fault.partition());
    FIRED.set(fault);
    throw new TimeoutException(
        "Timeout of 5000ms expired before successfully committing offsets " + offsets);
  }
}
