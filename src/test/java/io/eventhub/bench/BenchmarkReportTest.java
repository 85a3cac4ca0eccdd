package io.eventhub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** docs/BENCHMARKS.md and docs/benchmarks.svg as written from fixture result files. */
class BenchmarkReportTest {

  private static final Path FIXTURES = Path.of("src/test/resources/bench-fixtures");

  @TempDir Path out;

  private List<String> report() throws Exception {
    BenchmarkReport.write(
        BenchmarkReport.read(FIXTURES),
        out.resolve("BENCHMARKS.md"),
        out.resolve("benchmarks.svg"),
        List.of("2 cores", "24.0 GiB memory", "Linux", "Java 17"),
        "2026-12-02 07:00 UTC");
    return Files.readAllLines(out.resolve("BENCHMARKS.md"));
  }

  @Test
  void theSummaryTableHasEveryPathInTheIssuesOrderWithItsValuesAndWhetherItsGoalIsMet()
      throws Exception {
    List<String> md = report();
    assertThat(md).contains("Written by `bench/run --quick` on 2026-12-02 07:00 UTC.");
    assertThat(md).contains("Machine: 2 cores, 24.0 GiB memory, Linux, Java 17.");
    int header = md.indexOf("| path | hub | baseline | ratio | goal | met? |");
    assertThat(header).isPositive();
    assertThat(md.subList(header + 2, header + 5))
        .containsExactly(
            "| fan-out | 1,235 events/s, p99 9.90 ms | 1,500 events/s | 0.82× | >= 0.8x the"
                + " baseline | yes |",
            "| intake | 375 req/s, p99 49.0 ms | 1,768 req/s | 0.21× | >= 0.5x a plain endpoint |"
                + " **no** |",
            "| startup | 7.50 s | — | — | ready in <= 8 s cold and <= 5 s warm | **no** |");
  }

  @Test
  void eachPathHasItsSectionWithRowsCurveAndNotes() throws Exception {
    List<String> md = report();
    assertThat(md)
        .contains(
            "## intake: Intake: 202 after acks=all",
            "- hub (hub): 375 req/s, p99 49.0 ms (p50 10.0 ms, p99 49.0 ms)",
            "| 8 clients | 375 req/s | 1,768 req/s | 0.21× | ≥ 0.50× | **no** |",
            "| 32 clients \\| batched | 900 req/s | 1,700 req/s | 0.53× | ≥ 0.50× | yes |",
            "| 400 | 371 | 240 |",
            "- offered load <open loop> & ramp",
            "| cold | 7.50 s | — | — |  | yes |",
            "| warm | 5.60 s | — | — |  | **no** |",
            "![throughput and p99 against offered load](benchmarks.svg)");
  }

  @Test
  void theChartIsWellFormedSvgWithTheCurvesOfThePathsThatHaveOne() throws Exception {
    report();
    String svg = Files.readString(out.resolve("benchmarks.svg"));
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    // one path with a curve: its throughput and its p99 line
    assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(2);
    assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(6);
    assertThat(svg).contains("intake: Intake: 202 after acks=all").doesNotContain("fan-out:");
  }

  @Test
  void withNoResultsTheReportSaysSoAndTheChartIsStillValid() throws Exception {
    BenchmarkReport.write(
        BenchmarkReport.read(out.resolve("nothing")),
        out.resolve("BENCHMARKS.md"),
        out.resolve("benchmarks.svg"),
        List.of("2 cores"),
        "today");
    assertThat(Files.readAllLines(out.resolve("BENCHMARKS.md")))
        .contains("| (no results in target/bench) | | | | | |");
    DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(out.resolve("benchmarks.svg").toFile());
  }

  @Test
  void niceAxisMaximaAndFigures() {
    assertThat(BenchmarkChart.nice(371)).isEqualTo(500);
    assertThat(BenchmarkChart.nice(1500)).isEqualTo(2000);
    assertThat(BenchmarkChart.nice(0.8)).isEqualTo(1);
    assertThat(BenchmarkReport.fmt(1234.5)).isEqualTo("1,235");
    assertThat(BenchmarkReport.fmt(12.34)).isEqualTo("12.3");
  }
}
