package io.clustermonitor.examples;

import io.clustermonitor.exporters.web.WebConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --web.config.file} of the REST API commands ({@code serve}, {@code api-proxy}): an
 * exporter-toolkit web config file (TLS, {@code basic_auth_users}, response headers, reloaded when
 * it changes), refused next to the {@code CM_WEB_*} TLS and authentication variables it replaces
 * ({@link GoWebOptions#loadWebConfig}) and next to a bearer token when it lists users.
 */
final class WebConfigOption {
  @Option(
      names = "--web.config.file",
      paramLabel = "FILE",
      defaultValue = "${env:CLUSTER_MONITOR_WEB_CONFIG_FILE}",
      description =
          "exporter-toolkit web config (TLS, basic_auth_users, headers) for the API and /metrics"
              + " (env: CLUSTER_MONITOR_WEB_CONFIG_FILE); replaces the CM_WEB_* TLS and basic auth"
              + " variables. See docs/migrating.md.")
  Path file;

  /**
   * Loads the file, or {@code null} without one.
   *
   * @param token the bearer token of {@code --token-file}, or {@code null}
   * @throws ParameterException with the file's one-line problem, or when the file's users and a
   *     bearer token (or the {@code CM_WEB_*} variables) would both guard the API
   */
  WebConfig load(CommandSpec spec, Map<String, String> env, String token) {
    WebConfig web = GoWebOptions.loadWebConfig(spec, file, env);
    if (web != null && token != null && web.basicAuthEnabled()) {
      throw new ParameterException(
          spec.commandLine(),
          "--token-file and the basic_auth_users of --web.config.file both guard the API;"
              + " keep one");
    }
    return web;
  }
}
