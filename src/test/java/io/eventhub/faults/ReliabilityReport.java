package io.eventhub.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** Writes a fault suite's report as Markdown (docs/RELIABILITY.md). */
final class ReliabilityReport {

  private ReliabilityReport() {}

  static String markdown(FaultSuite.Report r, String command) {
    StringBuilder md = new StringBuilder();
    md.append("# Reliability: the fault suite\n\n");
    md.append("Written by `").append(command).append("` (").append(r.plan().name());
    md.append(" plan) on ")
        .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(r.started().atOffset(ZoneOffset.UTC)))
        .append(" UTC, machine `")
        .append(host())
        .append("` (")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, shared), Java ")
        .append(System.getProperty("java.version"))
        .append("; took ")
        .append(r.took().toSeconds())
        .append(" s.\n\n");
    md.append("Set-up: the Kafka broker (`exec:java@broker`) and PostgreSQL (embedded binaries,")
        .append(" restarted on the same data folder and port) as processes of their own, two hub")
        .append(" processes on them, a load generator sending ")
        .append(r.plan().ordersPerSecond())
        .append(" orders/s for ")
        .append(r.plan().load().toSeconds())
        .append(" s through intake, each followed by its signed payment callback (a refused or")
        .append(" unanswered request is sent again, as a client would).\n\n");
    md.append("Result: **").append(r.passed() ? "passed" : "FAILED").append("**");
    if (!r.passed()) {
      md.append(": ").append(String.join("; ", r.failures()));
    }
    md.append("\n\n## Per fault\n\n");
    md.append(
        "| fault | orders sent during it | acknowledged | processed (decided) | duplicated effects"
            + " | dead letters | recovery |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (FaultSuite.FaultResult f : r.faults()) {
      FaultSuite.Window w = f.window();
      md.append("| ")
          .append(w.fault())
          .append(" | ")
          .append(w.sent())
          .append(" | ")
          .append(f.acknowledged())
          .append(" | ")
          .append(f.processed())
          .append(" | ")
          .append(f.duplicated())
          .append(" | ")
          .append(f.deadLetters())
          .append(" | ")
          .append(String.format("%.1f s", w.recoveryMillis() / 1000.0))
          .append(" |\n");
    }
    md.append("\nAcknowledged: the orders sent during the fault that intake answered 202 (some")
        .append(" after retries, once the fault was over); processed, duplicated effects (shipping")
        .append(" calls beyond one per Idempotency-Key) and dead letters count those orders.")
        .append(" Recovery: until the restarted hub is ready (SIGKILL), the first order")
        .append(" acknowledged after the broker is back or the instance is gone for good, both")
        .append(" hubs ready again after PostgreSQL is back (the outage itself included).\n\n");
    md.append("## Checks over the whole run\n\n");
    md.append("| check | result |\n|---|---|\n");
    row(md, "orders sent / acknowledged (202 from intake)", r.sent() + " / " + r.acknowledged());
    row(md, "acknowledged orders decided", r.decided() + " of " + r.acknowledged());
    row(md, "outcomes", r.outcomes().toString());
    row(md, "orders stuck (not CONFIRMED or CANCELLED)", String.valueOf(r.stuck().size()));
    row(
        md,
        "orders without exactly one inventory decision",
        String.valueOf(r.ordersWithoutOneDecision()));
    row(
        md,
        "shipping stand-in: orders accepted / calls / distinct Idempotency-Keys",
        r.shippingOrders() + " / " + r.shippingCalls() + " / " + r.shippingDistinctKeys());
    row(
        md,
        "duplicated shipping calls (same Idempotency-Key, absorbed by the service)",
        String.valueOf(r.shippingCalls() - r.shippingDistinctKeys()));
    row(md, "stock conserved (initial = available + reserved)", String.valueOf(r.stockConserved()));
    for (Map.Entry<String, String> e : r.stock().entrySet()) {
      row(md, "stock " + e.getKey(), e.getValue());
    }
    row(md, "redeliveries the order saga's inbox skipped", String.valueOf(r.inboxAbsorbed()));
    md.append("\n## Dead letters\n\n");
    boolean none = true;
    for (Map.Entry<String, List<String>> e : r.deadLetters().entrySet()) {
      for (String letter : e.getValue()) {
        md.append("- ").append(e.getKey()).append(": ").append(letter).append('\n');
        none = false;
      }
    }
    if (none) {
      md.append("None: no event was dead-lettered because a hub, the broker or PostgreSQL was")
          .append(" down.\n");
    }
    return md.toString();
  }

  static void write(FaultSuite.Report r, String command, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, markdown(r, command), StandardCharsets.UTF_8);
  }

  private static void row(StringBuilder md, String check, String result) {
    md.append("| ").append(check).append(" | ").append(result).append(" |\n");
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
