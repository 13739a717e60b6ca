package io.clustermonitor.exporters.redis;

import io.clustermonitor.exporters.MetricType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --script} as redis_exporter 1.55 runs it: each file (comma separated, read once at start)
 * is sent with {@code EVAL <script> 0 0} on every scrape and must return a flat array of
 * alternating name and value bulk strings (like {@code HGETALL}); each value becomes {@code
 * redis_script_values{key,filename}}. {@code redis_script_result{filename}} says how it went: 1 ok,
 * 2 ran but returned nothing, 0 failed (error reply, not an even array of strings, or a value that
 * is not a number; then none of its values is exported). Unlike upstream, where a failing script
 * fails the whole scrape ({@code redis_up 0}) and skips the scripts after it, a failing script
 * costs only its own values.
 */
final class LuaScripts {
  private static final Logger LOG = LoggerFactory.getLogger(LuaScripts.class);

  /** Failures already logged at WARN (file and message), so a broken script warns once. */
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private LuaScripts() {}

  /**
   * Reads the comma separated files.
   *
   * @return file name as given to its text, in order (empty for an empty text)
   * @throws IllegalArgumentException naming the file that cannot be read
   */
  static Map<String, String> load(String files) {
    Map<String, String> out = new LinkedHashMap<>();
    if (files == null || files.isBlank()) {
      return out;
    }
    for (String part : files.split(",")) {
      String name = part.strip();
      if (name.isEmpty()) {
        continue;
      }
      try {
        out.put(name, new String(Files.readAllBytes(Path.of(name)), StandardCharsets.UTF_8));
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("Cannot read -script file '" + name + "': no such file");
      } catch (AccessDeniedException e) {
        throw new IllegalArgumentException(
            "Cannot read -script file '" + name + "': permission denied");
      } catch (IOException | java.nio.file.InvalidPathException e) {
        throw new IllegalArgumentException(
            "Cannot read -script file '" + name + "': " + RedisConnection.message(e));
      }
    }
    return out;
  }

  /** Runs every script and adds its families; an I/O failure of the connection propagates. */
  static void run(RedisConnection c, Settings settings, InfoMapper m) throws IOException {
    for (Map.Entry<String, String> s : settings.extras().scripts().entrySet()) {
      String file = s.getKey();
      double result;
      try {
        Object reply = c.command("EVAL", s.getValue(), "0", "0");
        Map<String, Double> values = values(reply);
        for (Map.Entry<String, Double> v : values.entrySet()) {
          m.add(
              "script_values",
              MetricType.GAUGE,
              "Values returned by the collect script",
              v.getValue(),
              "key",
              v.getKey(),
              "filename",
              file);
        }
        result = values.isEmpty() ? 2 : 1;
      } catch (RedisConnection.ErrorReply | IllegalArgumentException e) {
        String msg = "script " + file + " failed: " + e.getMessage();
        if (WARNED.add(msg)) {
          LOG.warn("{}", msg);
        } else {
          LOG.debug("{}", msg);
        }
        result = 0;
      }
      m.add(
          "script_result",
          MetricType.GAUGE,
          "Result of the collect script evaluation",
          result,
          "filename",
          file);
    }
  }

  /**
   * The name/value pairs of a script reply.
   *
   * @throws IllegalArgumentException when it is not an even array of strings or a value is no
   *     number
   */
  static Map<String, Double> values(Object reply) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (reply == null) {
      return out;
    }
    if (!(reply instanceof List<?> list)) {
      throw new IllegalArgumentException("the script must return an array, got " + kind(reply));
    }
    if (list.size() % 2 != 0) {
      throw new IllegalArgumentException(
          "the script must return an even number of values, got " + list.size());
    }
    List<String> texts = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof String t)) {
        throw new IllegalArgumentException(
            "names and values must be strings (use tostring()), got " + kind(o));
      }
      texts.add(t);
    }
    for (int i = 0; i < texts.size(); i += 2) {
      Double v = InfoMapper.number(texts.get(i + 1));
      if (v == null) {
        throw new IllegalArgumentException(
            "value of '" + texts.get(i) + "' is not a number: '" + texts.get(i + 1) + "'");
      }
      out.put(texts.get(i), v);
    }
    return out;
  }

  private static String kind(Object o) {
    return o == null ? "nil" : o instanceof Long ? "an integer" : o.getClass().getSimpleName();
  }
}
