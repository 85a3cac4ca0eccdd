package io.eventhub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventhub.support.Events;
import io.eventhub.support.FakeService;
import io.eventhub.support.Http;
import io.eventhub.support.HubRunner;
import io.eventhub.support.PrivateEngines;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard at / in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium without its manager downloading anything), on engines of its own so its dead letters are
 * its own: the page loads and asks for a token; its counters move when events flow; an order's
 * timeline and a file's status are looked up; a replay empties shipping's dead letter queue. The
 * page is captured to target/dashboard.png (and to the file -Ddashboard.screenshot names, e.g.
 * docs/dashboard.png). Skipped, saying why, only where chromium or chromedriver is missing.
 */
class DashboardBrowserIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static PrivateEngines engines;
  private static FakeService shipping;
  private static HubRunner hub;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    File chromium = executable("/usr/bin/chromium", "/usr/bin/chromium-browser");
    File driver = executable("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    if (chromium == null || driver == null) {
      String reason =
          "Skipping the dashboard browser test: "
              + (chromium == null ? "no chromium (apt-get install chromium) " : "")
              + (driver == null ? "no chromedriver (apt-get install chromium-driver)" : "");
      System.out.println(reason);
      Assumptions.abort(reason);
    }
    engines = new PrivateEngines("dashboard");
    shipping = new FakeService();
    hub =
        new HubRunner(
            Map.of(
                "hub.services.shipping.url", shipping.url("/shipments"),
                "hub.metrics.refresh-ms", "300",
                "hub.callbacks.files.secret", "dashboard-test-secret",
                "hub.retry.max-redeliveries", "1",
                "hub.retry.initial-delay-ms", "50",
                "hub.retry.max-delay-ms", "100"));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1700");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (hub != null) {
      hub.close();
    }
    if (shipping != null) {
      shipping.close();
    }
    if (engines != null) {
      engines.close();
    }
  }

  @Test
  void thePageShowsTheFlowLiveAndAReplayEmptiesADeadLetterQueue() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    browser.get(hub.url("/?poll=500"));
    assertThat(browser.getTitle()).contains("Camel Event Hub");
    assertThat(browser.findElement(By.id("status")).getText()).contains("token");

    browser.findElement(By.id("token")).sendKeys(Http.TEST_TOKEN);
    browser.findElement(By.id("save-token")).click();
    By processed = field("shipping", "OrderCreated", "processed");
    wait.until(ExpectedConditions.presenceOfElementLocated(processed));
    long before = number(browser.findElement(processed));

    // counters move when events flow
    String[] good = Events.orderCreated();
    assertThat(post(good[1]).statusCode()).isEqualTo(202);
    wait.until(d -> number(d.findElement(processed)) == before + 1);

    // an order's timeline
    String orderId = JSON.readTree(good[1]).at("/data/orderId").asText();
    browser.findElement(By.id("order-id")).sendKeys(orderId);
    browser.findElement(By.id("order-lookup")).click();
    wait.until(
        ExpectedConditions.presenceOfElementLocated(By.cssSelector("#order-result [data-status]")));
    wait.until(d -> !d.findElements(By.cssSelector("#order-result li")).isEmpty());
    assertThat(browser.findElement(By.id("order-result")).getText()).contains("OrderCreated");

    // a file's status
    String fileId = upload();
    browser.findElement(By.id("file-id")).sendKeys(fileId);
    browser.findElement(By.id("file-lookup")).click();
    wait.until(d -> !d.findElements(By.cssSelector("#file-result p")).isEmpty());
    assertThat(browser.findElements(By.cssSelector("#file-result [data-status]")))
        .as(browser.findElement(By.id("file-result")).getText())
        .isNotEmpty();

    // a dead letter, then the replay button empties the queue
    String[] bad = Events.orderCreated();
    shipping.answerNext(bad[0], 1, 400);
    assertThat(post(bad[1]).statusCode()).isEqualTo(202);
    By pending = By.cssSelector("[data-dlq='shipping']");
    wait.until(d -> number(d.findElement(pending)) == 1);
    wait.until(ExpectedConditions.elementToBeClickable(By.id("replay-shipping")));
    screenshot();
    // the page redraws its tables on every poll: click the button as it is now
    wait.until(
        d -> {
          try {
            d.findElement(By.id("replay-shipping")).click();
            return true;
          } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
            return false;
          }
        });
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("replay-result"), "Replayed 1"));
    wait.until(d -> number(d.findElement(pending)) == 0);
    wait.until(d -> shipping.acceptedFor(bad[0]) == 1);
  }

  private static By field(String service, String type, String field) {
    return By.cssSelector(
        "td[data-service='" + service + "'][data-type='" + type + "'][data-field='" + field + "']");
  }

  private static long number(WebElement cell) {
    try {
      return Long.parseLong(cell.getText().trim());
    } catch (NumberFormatException | org.openqa.selenium.StaleElementReferenceException e) {
      return -1;
    }
  }

  private static HttpResponse<String> post(String event) {
    return Http.post(hub.url("/api/events"), "application/cloudevents+json", event);
  }

  /** A small text file uploaded as a raw body; its id. */
  private static String upload() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(hub.url("/api/files?name=notes.txt")))
            .header("Authorization", "Bearer " + Http.TEST_TOKEN)
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("hello from the dashboard test\n"))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return JSON.readTree(response.body()).get("id").asText();
  }

  private static void screenshot() throws Exception {
    ((ChromeDriver) browser).executeScript("window.scrollTo(0, 0)");
    File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", "dashboard.png");
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    String copy = System.getProperty("dashboard.screenshot");
    if (copy != null && !copy.isBlank()) {
      Files.copy(shot.toPath(), Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static File executable(String... candidates) {
    for (String candidate : candidates) {
      File file = new File(candidate);
      if (file.canExecute()) {
        return file;
      }
    }
    return null;
  }
}
