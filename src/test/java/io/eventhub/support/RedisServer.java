package io.eventhub.support;

import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import redis.clients.jedis.RedisClient;

/**
 * A real Redis for tests: Debian's redis-server (installed by .ci/run where apt is available),
 * started on a free port without persistence, stopped on close. Where the binary is missing, the
 * test is skipped with the reason.
 */
public final class RedisServer implements AutoCloseable {

  private static final Path BINARY = Path.of("/usr/bin/redis-server");

  private final int port = TestEngines.freePort();
  private Process process;

  /** Whether redis-server is installed here. */
  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Skips the calling test, saying why, where redis-server is not installed. */
  public static void assumeInstalled() {
    assumeThat(installed())
        .as(
            "Redis tests need "
                + BINARY
                + " (apt-get install redis-server); it is not installed, so they are skipped")
        .isTrue();
  }

  public RedisServer() {
    assumeInstalled();
    start();
  }

  /** Starts it again after {@link #stop()}, on the same port (empty: nothing is persisted). */
  public void start() {
    try {
      process =
          new ProcessBuilder(
                  BINARY.toString(),
                  "--port",
                  String.valueOf(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (RedisClient client = RedisClient.create(URI.create(url()))) {
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> "PONG".equals(client.ping()));
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
