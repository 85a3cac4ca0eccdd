package io.eventhub.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How long this JVM's JIT compilers were busy compiling in a measured window (their total
 * compilation time, from the JVM's {@link CompilationMXBean}, summed over the compiler threads;
 * busy time, which includes waiting for a core, not CPU time): on 2 cores a JVM holding the hub and
 * the broker compiles for minutes after its start, beside the work being measured.
 */
final class Jit {

  private final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
  private long compiledMillis = compiler.getTotalCompilationTime();
  private long at = System.nanoTime();

  /** The compilation time since the last lap (or the start), said as a note; starts a new lap. */
  String lap() {
    long now = System.nanoTime();
    long compiled = compiler.getTotalCompilationTime();
    double seconds = (now - at) / 1e9;
    double compiling = (compiled - compiledMillis) / 1e3;
    int cores = Runtime.getRuntime().availableProcessors();
    compiledMillis = compiled;
    at = now;
    return String.format(
        Locale.ROOT,
        "the JIT compilers were busy for %.1f s in the %.1f s (%.0f %% of %d cores' time)",
        compiling,
        seconds,
        seconds > 0 ? 100 * compiling / seconds / cores : 0.0,
        cores);
  }
}
