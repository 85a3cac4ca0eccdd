package io.eventhub.support;

import io.eventhub.engines.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * PostgreSQL (the embedded binaries) as a process of its own, for tests that run the packaged hub
 * against engines it did not start: {@code mvn -q test-compile exec:java@postgres}. Prints {@code
 * POSTGRES_URL=<jdbc url>} and {@code POSTGRES_USER=<user>} when ready; stops on SIGTERM. Settings
 * as system properties: {@code hub.db.embedded.data-dir} (a new temporary folder if unset), {@code
 * hub.db.embedded.port} (0 picks a free one).
 */
public final class StandalonePostgres {

  private StandalonePostgres() {}

  public static void main(String[] args) throws Exception {
    String dataDir = System.getProperty("hub.db.embedded.data-dir");
    EmbeddedPostgresServer postgres =
        new EmbeddedPostgresServer(
            dataDir != null ? Path.of(dataDir) : Files.createTempDirectory("hub-postgres"),
            Integer.getInteger("hub.db.embedded.port", 0));
    postgres.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    postgres.close();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                  stopped.countDown();
                }));
    System.out.println("POSTGRES_URL=" + postgres.jdbcUrl());
    System.out.println("POSTGRES_USER=" + postgres.user());
    stopped.await();
  }
}
