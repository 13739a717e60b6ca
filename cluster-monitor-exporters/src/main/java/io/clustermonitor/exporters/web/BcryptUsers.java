package io.clustermonitor.exporters.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code basic_auth_users} checked as exporter-toolkit does: bcrypt comparisons one at a time (they
 * are CPU-heavy), results cached by user, hash and password, and an unknown user compared against a
 * real hash of the same cost so that it takes as long as a wrong password. The cache holds SHA-256
 * digests, never a password. Thread-safe.
 */
final class BcryptUsers {
  /** The toolkit's cache size. */
  static final int CACHE_SIZE = 100;

  private static final BCrypt.Verifyer VERIFYER =
      BCrypt.verifyer(
          BCrypt.Version.VERSION_2A, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A));

  private final Map<String, String> users;
  private final String decoy;
  private final ReentrantLock bcrypt = new ReentrantLock();
  private final Map<String, Boolean> cache =
      new LinkedHashMap<>(CACHE_SIZE * 2, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > CACHE_SIZE;
        }
      };
  private volatile int comparisons;

  /**
   * @param users user name to bcrypt hash, already checked by {@link ConfigFile}
   */
  BcryptUsers(Map<String, String> users) {
    this.users = Map.copyOf(users);
    this.decoy = decoy(users);
  }

  /**
   * A configured hash of the most common cost: comparing an unknown user's password with it costs
   * what a wrong password for a real user costs; the result is ignored.
   */
  private static String decoy(Map<String, String> users) {
    Map<Integer, Integer> counts = new HashMap<>();
    String best = null;
    int bestCount = 0;
    for (String hash : users.values()) {
      int cost = ConfigFile.cost(hash);
      int n = counts.merge(cost, 1, Integer::sum);
      if (n > bestCount || (n == bestCount && cost > ConfigFile.cost(best))) {
        best = hash;
        bestCount = n;
      }
    }
    return best;
  }

  boolean isEmpty() {
    return users.isEmpty();
  }

  /** Whether {@code user} with {@code password} is allowed. */
  boolean check(String user, String password) {
    if (users.isEmpty()) {
      return true;
    }
    if (user == null || password == null) {
      return false;
    }
    String hash = users.get(user);
    boolean known = hash != null;
    if (!known) {
      hash = decoy;
    }
    String key = cacheKey(user, hash, password);
    synchronized (cache) {
      Boolean cached = cache.get(key);
      if (cached != null) {
        return cached && known;
      }
    }
    boolean ok;
    bcrypt.lock();
    try {
      comparisons++;
      ok =
          VERIFYER.verify(
                  password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
              .verified;
    } finally {
      bcrypt.unlock();
    }
    ok = ok && known;
    synchronized (cache) {
      cache.put(key, ok);
    }
    return ok;
  }

  /** bcrypt comparisons done so far (cache misses), for tests. */
  int comparisons() {
    return comparisons;
  }

  private static String cacheKey(String user, String hash, String password) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {user, hash, password}) {
        byte[] b = part.getBytes(StandardCharsets.UTF_8);
        d.update((byte) (b.length >>> 24));
        d.update((byte) (b.length >>> 16));
        d.update((byte) (b.length >>> 8));
        d.update((byte) b.length);
        d.update(b);
      }
      return Base64.getEncoder().encodeToString(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
