package com.example.sneaky;

import io.clustermonitor.exporters.internal.TextFormat;
import java.util.List;

/** Uses an internal class directly, as issue #16's users had to. */
public final class Sneaky {
  private Sneaky() {}

  /** Renders nothing through the internal writer. */
  public static String render() {
    return TextFormat.toText(List.of());
  }
}
