package io.clustermonitor.exporters.redis;

import java.io.IOException;

/**
 * Where the key and stream checks send their commands: one server's connection ({@link
 * RedisConnection}) or, with {@code -is-cluster}, the whole cluster ({@link ClusterKeys}).
 */
interface KeyCommands {
  /**
   * Sends one command.
   *
   * @return {@link String} for status and bulk replies, {@link Long}, {@link java.util.List} of
   *     those, or null
   * @throws RedisConnection.ErrorReply for an error reply; IOException when the connection failed
   */
  Object command(String name, String... args) throws IOException;

  /** A bulk or status reply as text, or null. */
  default String text(String name, String... args) throws IOException {
    Object r = command(name, args);
    return r instanceof String s ? s : null;
  }
}
