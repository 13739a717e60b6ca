package com.example.shop;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Which version of a library the test really runs with, read from the jar's Maven metadata. */
final class Versions {
  private Versions() {}

  static String of(String groupId, String artifactId) {
    String path = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = Versions.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new AssertionError(path + " is not on the class path");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new AssertionError(path + ": " + e, e);
    }
  }
}
