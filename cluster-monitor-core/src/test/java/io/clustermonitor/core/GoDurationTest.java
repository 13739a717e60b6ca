package io.clustermonitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's duration grammar, as the time package documents it, and what it refuses. */
class GoDurationTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "0, 0",
    "+0, 0",
    "-0, 0",
    "0s, 0",
    "5s, 5000000000",
    "30s, 30000000000",
    "1478s, 1478000000000",
    "-5s, -5000000000",
    "+5s, 5000000000",
    "5.0s, 5000000000",
    "5.6s, 5600000000",
    "5.s, 5000000000",
    ".5s, 500000000",
    "1.0s, 1000000000",
    "1.004s, 1004000000",
    "100.00100s, 100001000000",
    "10ns, 10",
    "11us, 11000",
    "12\u00b5s, 12000",
    "12\u03bcs, 12000",
    "13ms, 13000000",
    "14s, 14000000000",
    "15m, 900000000000",
    "16h, 57600000000000",
    "3h30m, 12600000000000",
    "10.5s4m, 250500000000",
    "-2m3.4s, -123400000000",
    "1h2m3s4ms5us6ns, 3723004005006",
    "39h9m14.425s, 140954425000000",
    "52763797000ns, 52763797000",
    "0.3333333333333333333h, 1200000000000",
    "9007199254740993ns, 9007199254740993",
    "9223372036854775807ns, 9223372036854775807",
    "' 250ms ', 250000000",
  })
  void parsesWhatGoParses(String text, long nanos) {
    assertThat(GoDuration.tryParse(text)).contains(Duration.ofNanos(nanos));
    assertThat(GoDuration.parse("--x", text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(
      strings = {
        "",
        " ",
        "3",
        "-",
        "+",
        "s",
        ".",
        "-.",
        ".s",
        "+.s",
        "1d",
        "1S",
        "1 s",
        "1s ms",
        "1.2.3s",
        "1e3s",
        "0x10s",
        "\u0000",
        "10sec",
        "PT10S",
        "9223372036854775808ns",
        "9223372036854775807ns1ns",
        "3000000h",
        "99999999999999999999s",
      })
  void refusesWhatGoRefusesWithTheSettingsName(String text) {
    assertThat(GoDuration.tryParse(text)).isEmpty();
    assertThatThrownBy(() -> GoDuration.parse("--web.timeout", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--web.timeout must be a duration such as 1s, 500ms or 1m, got '" + text + "'");
  }

  @Test
  void aBareNumberIsSecondsWhereOurFlagsTookThem() {
    assertThat(GoDuration.parseOrSeconds("--x", "15")).isEqualTo(Duration.ofSeconds(15));
    assertThat(GoDuration.parseOrSeconds("--x", " 2.5 ")).isEqualTo(Duration.ofMillis(2500));
    assertThat(GoDuration.parseOrSeconds("--x", "1m30s")).isEqualTo(Duration.ofSeconds(90));
    for (String bad : new String[] {"99999999999999999999", "1.", ".5", "-3", "1e3", "", "soon"}) {
      assertThatThrownBy(() -> GoDuration.parseOrSeconds("--x", bad))
          .as(bad)
          .hasMessage("--x must be a duration such as 1s, 500ms or 1m, got '" + bad + "'");
    }
  }

  @Test
  void nullIsNotADuration() {
    assertThat(GoDuration.tryParse(null)).isEmpty();
    assertThatThrownBy(() -> GoDuration.parse("X", null))
        .hasMessage("X must be a duration such as 1s, 500ms or 1m, got 'null'");
  }
}
