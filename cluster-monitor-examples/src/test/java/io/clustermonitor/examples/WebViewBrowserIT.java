package io.clustermonitor.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clustermonitor.examples.api.DockerCli;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web view in Debian's headless Chromium (driven by Selenium through Debian's chromedriver, no
 * browser download) against {@code serve} with a token and the real engine.
 */
class WebViewBrowserIT {
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String TOKEN = "web-view-" + UUID.randomUUID();

  private static DockerCli docker;
  private static ServeUnderTest serve;
  private static WebDriver browser;
  private static Path userData;
  private static String tag;

  @BeforeAll
  static void start() throws Exception {
    docker = new DockerCli(WebViewBrowserIT.class.getSimpleName());
    tag = Long.toHexString(System.nanoTime()).substring(0, 6);
    docker.run(
        List.of(
            "--name",
            "cm-web-burn-" + tag,
            "--network",
            "none",
            "--cpus",
            "0.5",
            "-m",
            "64m",
            "--health-cmd",
            "echo probe-said-ok",
            "--health-interval",
            "1s"),
        "sh",
        "-c",
        "yes > /dev/null");
    docker.run(
        List.of("--name", "cm-web-idle-" + tag, "--network", "none", "-m", "32m"), "sleep", "600");
    Path token = Files.createTempFile("cm-web-token", ".txt");
    Files.writeString(token, TOKEN);
    token.toFile().deleteOnExit();
    serve =
        new ServeUnderTest(
            "--listen",
            "127.0.0.1:0",
            "--docker-host",
            ServeUnderTest.dockerHost(),
            "--token-file",
            token.toString());
    userData = Files.createTempDirectory("cm-chromium");
    ChromeOptions options = new ChromeOptions();
    org.openqa.selenium.logging.LoggingPreferences logs =
        new org.openqa.selenium.logging.LoggingPreferences();
    logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1500,1000",
        "--user-data-dir=" + userData);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      try {
        if (serve != null) {
          serve.close();
        }
      } finally {
        if (docker != null) {
          docker.removeAll();
        }
      }
    }
  }

  /**
   * A wait on the page. The table re-renders on every live update, so an element found in one poll
   * may be stale when it is read: that poll is retried, never the test failed.
   */
  private static ConditionFactory await() {
    return Awaitility.await().ignoreExceptionsInstanceOf(StaleElementReferenceException.class);
  }

  private static JsonNode api(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(serve.base + path))
                .header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static List<WebElement> row(String name) {
    return browser.findElements(By.cssSelector("#containers tbody tr[data-name='" + name + "']"));
  }

  /** A cell's value; the table re-renders every update, so a cell found may go stale: re-find. */
  private static double value(String name, String cell) {
    for (int attempt = 1; ; attempt++) {
      try {
        String v =
            browser
                .findElement(By.cssSelector("tr[data-name='" + name + "'] td." + cell))
                .getDomAttribute("data-value");
        return v == null || v.isEmpty() ? Double.NaN : Double.parseDouble(v);
      } catch (StaleElementReferenceException e) {
        if (attempt == 20) {
          throw e;
        }
      }
    }
  }

  private static void shot(String file) throws Exception {
    Path png = SHOTS.resolve(file);
    Files.copy(
        ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(),
        png,
        StandardCopyOption.REPLACE_EXISTING);
    assertThat(Files.size(png)).isGreaterThan(10_000);
  }

  @Test
  void theOverviewAsksForTheTokenThenShowsLiveContainersAndTheDetailPageItsCharts()
      throws Exception {
    try {
      overviewAndDetail();
    } catch (Exception | AssertionError e) {
      // for the reviewer: what the browser showed when it failed
      shot("failure.png");
      Files.writeString(SHOTS.resolve("failure.html"), browser.getPageSource());
      StringBuilder log = new StringBuilder();
      browser
          .manage()
          .logs()
          .get(org.openqa.selenium.logging.LogType.BROWSER)
          .forEach(l -> log.append(l).append('\n'));
      Files.writeString(SHOTS.resolve("failure-console.txt"), log);
      throw e;
    }
  }

  private void overviewAndDetail() throws Exception {
    String burn = "cm-web-burn-" + tag;
    String idle = "cm-web-idle-" + tag;
    browser.get(serve.base + "/");
    // token flow: the page asks, keeps it for the tab, then streams
    WebElement input =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> browser.findElement(By.id("auth-token")), WebElement::isDisplayed);
    input.sendKeys("wrong-" + TOKEN);
    browser.findElement(By.id("auth-submit")).click();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> browser.findElement(By.id("auth-error")).getText().contains("not accepted"));
    browser.findElement(By.id("auth-token")).sendKeys(TOKEN);
    browser.findElement(By.id("auth-submit")).click();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !row(burn).isEmpty() && !row(idle).isEmpty());
    assertThat(
            ((ChromeDriver) browser)
                .executeScript("return sessionStorage.getItem('cluster-monitor.token')"))
        .isEqualTo(TOKEN);
    assertThat(browser.findElement(By.id("engine-state")).getText()).isEqualTo("engine up");

    // values agree with the API (the page and the API read the same in-memory snapshot)
    String burnId = api("/api/containers/" + burn).get("id").asText();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode st = api("/api/containers/" + burnId + "/stats");
              double cpu = value(burn, "cpu");
              double mem = value(burn, "mem");
              assertThat(cpu)
                  .isCloseTo(
                      st.get("cpuPercent").asDouble(), org.assertj.core.data.Offset.offset(15.0));
              assertThat(mem)
                  .isCloseTo(
                      st.get("memoryWorkingSetBytes").asDouble(),
                      org.assertj.core.data.Offset.offset(Math.max(2e6, 0.25 * mem)));
              assertThat(cpu).isBetween(20.0, 60.0); // --cpus 0.5 of a busy loop
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode idleStats = api("/api/containers/" + idle + "/stats");
              assertThat(value(idle, "cpu")).isLessThan(5.0);
              assertThat(idleStats.get("cpuPercent").asDouble()).isLessThan(5.0);
            });

    // the burner's sparkline rises: several points, the newest well above zero
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              WebElement svg =
                  browser.findElement(By.cssSelector("tr[data-name='" + burn + "'] svg.spark"));
              assertThat(Integer.parseInt(svg.getDomAttribute("data-points"))).isGreaterThan(3);
              assertThat(Double.parseDouble(svg.getDomAttribute("data-cpu-max"))).isGreaterThan(20);
            });

    // filtering by name
    browser.findElement(By.id("filter-name")).sendKeys("cm-web-idle-" + tag);
    await().atMost(Duration.ofSeconds(10)).until(() -> row(burn).isEmpty() && !row(idle).isEmpty());
    browser.findElement(By.id("filter-name")).clear();
    ((ChromeDriver) browser)
        .executeScript("document.getElementById('filter-name').dispatchEvent(new Event('input'))");
    await().atMost(Duration.ofSeconds(10)).until(() -> !row(burn).isEmpty());

    // a container started now appears, one removed disappears, both within 3 s without reload
    String late = "cm-web-late-" + tag;
    docker.run(List.of("--name", late, "--network", "none"), "sleep", "600");
    await().atMost(Duration.ofSeconds(3)).until(() -> !row(late).isEmpty());
    DockerCli.docker("rm", "-f", idle);
    await().atMost(Duration.ofSeconds(3)).until(() -> row(idle).isEmpty());
    shot("index.png");

    // the detail page draws its charts over the retained history
    browser.get(serve.base + "/containers/" + burn);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              for (String chart :
                  List.of("chart-cpu", "chart-mem", "chart-net", "chart-blk", "chart-pids")) {
                WebElement c = browser.findElement(By.id(chart));
                assertThat(c.findElements(By.tagName("canvas"))).as(chart).isNotEmpty();
                assertThat(Integer.parseInt(c.getDomAttribute("data-points")))
                    .as(chart)
                    .isGreaterThan(3);
              }
              assertThat(browser.findElement(By.id("details")).getText()).contains(burnId);
              assertThat(browser.findElement(By.id("health-log")).getText()).contains("seen");
              // the engine's own record of the health-check runs, with the probe's output
              assertThat(browser.findElement(By.id("health-probes")).getText())
                  .contains("probe-said-ok");
            });
    assertThat(browser.getPageSource()).doesNotContain(TOKEN);
    shot("container.png");
  }
}
