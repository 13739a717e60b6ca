package io.clustermonitor.exporters.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The {@code auth_modules} of a postgres_exporter 0.15 {@code --config.file}, used by {@code
 * /probe?auth_module=NAME}:
 *
 * <pre>
 * auth_modules:
 *   foo:
 *     type: userpass
 *     userpass: {username: exporter, password: secret}
 *     options: {sslmode: disable}
 * </pre>
 *
 * <p>Unknown keys are rejected, as Go's {@code KnownFields(true)} does. Unlike 0.15 (issue #688) a
 * module may leave the password (or the user name) out, for trust, peer or certificate setups.
 * {@link #toString()} never shows a password. Immutable.
 */
public final class AuthModules {

  /**
   * One module.
   *
   * @param name the name used in {@code ?auth_module=}
   * @param type {@code userpass} (the only type 0.15 knows; others only add their options)
   * @param username user name, or empty to keep the target's
   * @param password password, or empty to keep the target's (or have none)
   * @param options libpq parameters added to the DSN ({@code sslmode}, {@code connect_timeout},
   *     ...)
   */
  public record Module(
      String name, String type, String username, String password, Map<String, String> options) {
    /** Copies. */
    public Module {
      options = Map.copyOf(options);
    }

    /** The target with this module's credentials and options applied. */
    public DataSource configure(DataSource target) {
      DataSource d = target;
      if ("userpass".equals(type)) {
        d =
            d.withCredentials(
                username.isEmpty() ? null : username, password.isEmpty() ? null : password);
      }
      return d.withParams(options);
    }

    @Override
    public String toString() {
      return "Module["
          + name
          + ", type="
          + type
          + ", user="
          + username
          + ", options="
          + options
          + "]";
    }
  }

  private final Map<String, Module> modules;

  private AuthModules(Map<String, Module> modules) {
    this.modules = Map.copyOf(modules);
  }

  /** No modules. */
  public static AuthModules empty() {
    return new AuthModules(Map.of());
  }

  /** The module of that name. */
  public Optional<Module> get(String name) {
    return Optional.ofNullable(modules.get(name));
  }

  /** The module names. */
  public Set<String> names() {
    return modules.keySet();
  }

  /**
   * Reads a config file.
   *
   * @throws IllegalArgumentException naming the file and the problem, never a password
   */
  public static AuthModules load(Path file) {
    Objects.requireNonNull(file, "file");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot read --config.file " + file + ": " + e.getClass().getSimpleName());
    }
    return parse(file.toString(), text);
  }

  static AuthModules parse(String where, String text) {
    String at = "--config.file " + where;
    Object root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      root = new Yaml(new SafeConstructor(options)).load(text);
    } catch (YAMLException e) {
      // The YAML error quotes the offending line, which may hold a password: give its position
      // only.
      String msg = String.valueOf(e.getMessage());
      int line = msg.indexOf("line ");
      String pos = line < 0 ? "" : " at " + msg.substring(line).lines().findFirst().orElse("");
      throw new IllegalArgumentException(at + " is not valid YAML" + pos);
    }
    Map<String, Module> out = new LinkedHashMap<>();
    if (root == null) {
      return new AuthModules(out);
    }
    Map<?, ?> top = map(at, root);
    only(at, top, Set.of("auth_modules"));
    Object am = top.get("auth_modules");
    if (am == null) {
      return new AuthModules(out);
    }
    for (Map.Entry<?, ?> e : map(at + ": auth_modules", am).entrySet()) {
      String name = String.valueOf(e.getKey());
      String mat = at + ": auth_modules." + name;
      Map<?, ?> m = map(mat, e.getValue());
      only(mat, m, Set.of("type", "userpass", "options"));
      String type = m.get("type") == null ? "" : m.get("type").toString();
      String user = "";
      String pass = "";
      if (m.get("userpass") != null) {
        Map<?, ?> up = map(mat + ".userpass", m.get("userpass"));
        only(mat + ".userpass", up, Set.of("username", "password"));
        user = up.get("username") == null ? "" : up.get("username").toString();
        pass = up.get("password") == null ? "" : up.get("password").toString();
      }
      Map<String, String> opts = new LinkedHashMap<>();
      if (m.get("options") != null) {
        for (Map.Entry<?, ?> o : map(mat + ".options", m.get("options")).entrySet()) {
          opts.put(String.valueOf(o.getKey()), String.valueOf(o.getValue()));
        }
      }
      out.put(name, new Module(name, type, user, pass, opts));
    }
    return new AuthModules(out);
  }

  private static Map<?, ?> map(String at, Object o) {
    if (!(o instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(at + ": expected a map");
    }
    return m;
  }

  private static void only(String at, Map<?, ?> m, Set<String> known) {
    for (Object k : m.keySet()) {
      if (!known.contains(String.valueOf(k))) {
        throw new IllegalArgumentException(
            at + ": unknown field '" + k + "' (known: " + String.join(", ", known) + ")");
      }
    }
  }

  @Override
  public String toString() {
    return "AuthModules" + modules.values();
  }
}
