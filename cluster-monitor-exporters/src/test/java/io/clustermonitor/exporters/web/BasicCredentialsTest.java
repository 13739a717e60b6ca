package io.clustermonitor.exporters.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BasicCredentialsTest {

  private static String basic(String userColonPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parsesUserAndPasswordSplitAtTheFirstColonInAnyCaseOfTheScheme() {
    assertThat(BasicCredentials.parse(basic("prom:pa:55")))
        .contains(new BasicCredentials("prom", "pa:55"));
    assertThat(BasicCredentials.parse("bAsIc " + basic("prom:x").substring(6) + "  "))
        .contains(new BasicCredentials("prom", "x"));
    assertThat(BasicCredentials.parse(basic("jürgen:")))
        .contains(new BasicCredentials("jürgen", ""));
  }

  @Test
  void noHeaderIsNoCredentials() {
    assertThat(BasicCredentials.parse(null)).isEmpty();
    assertThat(BasicCredentials.verify(null, (u, p) -> true)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // empty header
        "Basic", // scheme without a value
        "Bearer cHJvbTpwYTU1", // another scheme
        "Digest username=\"prom\"",
        "BasicdXNlcjpwdw==", // no space after the scheme
        "Basic %%%notbase64", // bad base64
        "Basic cHJvbTpwYTU1a", // base64 with one char too many
        "Basic cHJvbXBhNTU=", // "prompa55": no colon
        "Basic OnBhNTU=", // ":pa55": empty user
        "Basic " // empty value: decodes to "", no colon
      })
  void badHeadersAreNoCredentialsAndNeverReachTheAuthenticator(String header) {
    assertThat(BasicCredentials.parse(header)).isEmpty();
    List<String> asked = new ArrayList<>();
    assertThat(
            BasicCredentials.verify(
                header,
                (u, p) -> {
                  asked.add(u);
                  return true;
                }))
        .isFalse();
    assertThat(asked).isEmpty();
  }

  @Test
  void verifyAsksTheAuthenticatorAndTreatsItsFailureAsARefusal() {
    BasicAuthenticator one = (u, p) -> u.equals("prom") && p.equals("pa55");
    assertThat(BasicCredentials.verify(basic("prom:pa55"), one)).isTrue();
    assertThat(BasicCredentials.verify(basic("prom:nope"), one)).isFalse();
    assertThat(BasicCredentials.verify(basic("bob:pa55"), one)).isFalse();
    BasicAuthenticator broken =
        (u, p) -> {
          throw new IllegalStateException("users file unreadable");
        };
    assertThat(BasicCredentials.verify(basic("prom:pa55"), broken)).isFalse();
  }

  @Test
  void theRecordRefusesAnEmptyUserOrOneWithAColonAndHidesThePassword() {
    assertThatThrownBy(() -> new BasicCredentials("", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BasicCredentials("a:b", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new BasicCredentials("prom", "s3cret").toString())
        .contains("prom")
        .doesNotContain("s3cret");
  }
}
