package io.eventhub.faults;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code mvn -q test-compile exec:java@fault-suite [-Dfaults.quick=true]}: runs the fault suite
 * (the full plan unless quick) and writes docs/RELIABILITY.md; exits 1 if a check failed.
 */
public final class FaultSuiteMain {

  private FaultSuiteMain() {}

  public static void main(String[] args) throws Exception {
    boolean quick = Boolean.getBoolean("faults.quick");
    FaultSuite.Plan plan = quick ? FaultSuite.Plan.quick() : FaultSuite.Plan.full();
    Path work = Files.createTempDirectory("hub-fault-suite");
    FaultSuite.Report report;
    try (FaultSuite suite = new FaultSuite(plan, work)) {
      report = suite.run();
    }
    String command =
        "mvn -q test-compile exec:java@fault-suite" + (quick ? " -Dfaults.quick=true" : "");
    ReliabilityReport.write(report, command, Path.of("docs", "RELIABILITY.md"));
    System.out.println(ReliabilityReport.markdown(report, command));
    System.out.println("Logs of the processes in " + work);
    System.exit(report.passed() ? 0 : 1);
  }
}
