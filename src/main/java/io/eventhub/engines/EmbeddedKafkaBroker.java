package io.eventhub.engines;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running inside this JVM.
 * Its log directory is kept between runs: a broker started again on the same folder finds its
 * topics and committed offsets.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final Path dataDir;
  private final String host;
  private final int port;
  private final int controllerPort;
  private final int defaultPartitions;
  private long flushMessages;
  private KafkaRaftServer server;

  public EmbeddedKafkaBroker(
      Path dataDir, String host, int port, int controllerPort, int defaultPartitions) {
    this.dataDir = dataDir;
    this.host = host;
    this.port = port;
    this.controllerPort = controllerPort;
    this.defaultPartitions = defaultPartitions;
  }

  /**
   * Forces the log to disk (fsync) every this many records of a partition; 0 (the default) leaves
   * it to the operating system, as Kafka does by default. An acknowledged record survives this JVM
   * being killed either way (it is in the page cache); only with 1 does it also survive the machine
   * losing power, at the price of an fsync per append (see docs/decisions.md).
   */
  public EmbeddedKafkaBroker flushEvery(long messages) {
    this.flushMessages = messages;
    return this;
  }

  /** The bootstrap address clients connect to. */
  public String bootstrapServers() {
    return host + ":" + port;
  }

  public synchronized EmbeddedKafkaBroker start() throws IOException {
    if (server != null) {
      return this;
    }
    long started = System.nanoTime();
    Path logDir = dataDir.resolve("logs");
    Files.createDirectories(logDir);
    Map<String, String> props = brokerProperties(logDir);
    Path configFile = dataDir.resolve("server.properties");
    Properties fileProps = new Properties();
    fileProps.putAll(props);
    try (Writer out = Files.newBufferedWriter(configFile)) {
      fileProps.store(out, "embedded broker of the event hub");
    }
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      format(configFile);
    }
    server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
    server.startup();
    LOG.info(
        "Embedded Kafka broker ready on {} (data in {}) in {} ms",
        bootstrapServers(),
        dataDir,
        (System.nanoTime() - started) / 1_000_000);
    return this;
  }

  private Map<String, String> brokerProperties(Path logDir) {
    Map<String, String> props = new TreeMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", logDir.toString());
    props.put("num.partitions", String.valueOf(defaultPartitions));
    props.put("auto.create.topics.enable", "true");
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "6");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    // the log cleaner (compacted topics) allocates its whole dedupe buffer on the heap at start:
    // 128 MiB by default, 16 MiB here (about 600,000 keys per cleaning pass, plenty for one node)
    props.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
    if (flushMessages > 0) {
      props.put("log.flush.interval.messages", String.valueOf(flushMessages));
    }
    return props;
  }

  private void format(Path configFile) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int rc;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      rc =
          StorageTool.execute(
              new String[] {
                "format",
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--config",
                configFile.toString()
              },
              out);
    }
    if (rc != 0) {
      throw new IOException("formatting the Kafka storage failed: " + buffer);
    }
  }

  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    LOG.info("Stopping embedded Kafka broker on {}", bootstrapServers());
    server.shutdown();
    server.awaitShutdown();
    server = null;
  }
}
