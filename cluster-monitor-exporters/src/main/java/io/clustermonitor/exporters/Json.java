package io.clustermonitor.exporters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON through Jackson (the module's one mapper) and HTML escaping. */
final class Json {
  /**
   * The mapper, made on first use: a server that never writes JSON (an exporter's landing page only
   * needs {@link #html}) does not load Jackson's 230 classes.
   */
  private static final class Holder {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private Json() {}

  /** An empty JSON object to fill; its fields are written in insertion order. */
  static ObjectNode object() {
    return Holder.MAPPER.createObjectNode();
  }

  /** {@code node} as compact JSON text. */
  static String write(ObjectNode node) {
    try {
      return Holder.MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree: " + e.getMessage(), e);
    }
  }

  /** Text escaped for HTML element content and attribute values. */
  public static String html(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
