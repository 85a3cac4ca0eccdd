package io.eventhub.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How much of a measured window this JVM's JIT compilers took (their total compilation time, from
 * the JVM's {@link CompilationMXBean}): on 2 cores a JVM that has just started compiles for a core
 * or more, for minutes, and that time is the hub's as much as its work is.
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
        "the JIT compiled for %.1f s of the %.1f s (%.0f %% of %d cores)",
        compiling,
        seconds,
        seconds > 0 ? 100 * compiling / seconds / cores : 0.0,
        cores);
  }
}
