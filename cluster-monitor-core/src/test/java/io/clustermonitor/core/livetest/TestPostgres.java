package io.clustermonitor.core.livetest;

/**
 * The test environment's PostgreSQL ({@code scripts/lib-env.sh ensure_postgres}): its address and
 * credentials from the {@code CM_TEST_PG_*} variables, with the script's defaults.
 */
public final class TestPostgres {
  private TestPostgres() {}

  /** {@code CM_TEST_PG_HOST}. */
  public static final String HOST = env("CM_TEST_PG_HOST", "127.0.0.1");

  /** {@code CM_TEST_PG_PORT}. */
  public static final String PORT = env("CM_TEST_PG_PORT", "55432");

  /** {@code CM_TEST_PG_USER}. */
  public static final String USER = env("CM_TEST_PG_USER", "cmtest");

  /** {@code CM_TEST_PG_PASSWORD}. */
  public static final String PASSWORD = env("CM_TEST_PG_PASSWORD", "cmtest-secret-pw");

  /** {@code CM_TEST_PG_DB}. */
  public static final String DB = env("CM_TEST_PG_DB", "cmtest");

  /** {@code host:port}, as postgres_exporter's {@code server} label shows it. */
  public static final String SERVER = HOST + ":" + PORT;

  /** A URI DSN with the password, {@code sslmode=disable}. */
  public static final String DSN =
      "postgresql://" + USER + ":" + PASSWORD + "@" + SERVER + "/" + DB + "?sslmode=disable";

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
