package io.clustermonitor.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --token-file}: an optional bearer token, read from a file so it never shows in ps. */
final class TokenOptions {
  /** Environment variable naming the bearer token file. */
  static final String TOKEN_FILE_ENV = "CLUSTER_MONITOR_TOKEN_FILE";

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      defaultValue = "${env:" + TOKEN_FILE_ENV + "}",
      description =
          "File holding a bearer token required on every request except /health (env: "
              + TOKEN_FILE_ENV
              + "). Without it no token is asked for.")
  Path tokenFile;

  /**
   * The token from the file, or {@code null} without one.
   *
   * @throws IllegalArgumentException when the file cannot be read or is empty (never showing it)
   */
  String token() {
    if (tokenFile == null || tokenFile.toString().isBlank()) {
      return null;
    }
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot read the token file "
              + tokenFile
              + " ("
              + TOKEN_FILE_ENV
              + "): "
              + e.getClass().getSimpleName(),
          e);
    }
    if (token.isEmpty()) {
      throw new IllegalArgumentException("The token file " + tokenFile + " is empty");
    }
    return token;
  }
}
