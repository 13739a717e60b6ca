package io.clustermonitor.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedFileReaderTest {

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  void aKeptChannelSeesContentRewrittenInPlaceShorterAndLongerThanItsBuffer(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("memory.stat");
    Files.writeString(f, "cache 1\nrss 2\n");
    try (CachedFileReader r = new CachedFileReader()) {
      assertThat(r.read("c", f)).isEqualTo("cache 1\nrss 2\n");
      Files.writeString(f, "x 9\n");
      assertThat(r.read("c", f)).isEqualTo("x 9\n");
      String big = "line 1234567890\n".repeat(5000); // 80 KB: more than the 16 KiB buffer
      Files.writeString(f, big);
      assertThat(r.read("c", f)).isEqualTo(big);
      Files.writeString(f, "");
      assertThat(r.read("c", f)).isEmpty();
      assertThat(r.openChannels("c")).isEqualTo(1);
    }
  }

  @Test
  void aProcfsFileIsRegeneratedOnEveryReadOfAKeptChannel() throws Exception {
    Path stat = Path.of("/proc/self/stat");
    assumeThat(Files.isReadable(stat)).as("Linux procfs").isTrue();
    try (CachedFileReader r = new CachedFileReader()) {
      String first = r.read("self", stat);
      assertThat(first).isEqualTo(first.trim() + "\n");
      long[] sink = {0};
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (int i = 0; i < 5_000_000; i++) {
                  sink[0] += i ^ sink[0];
                }
                return !r.read("self", stat).equals(first);
              });
      // still one descriptor: the changed text came from the kept channel
      assertThat(r.openChannels("self")).isEqualTo(1);
      String now = r.read("self", stat);
      assertThat(now.substring(0, now.indexOf(')')))
          .isEqualTo(first.substring(0, first.indexOf(')')));
    }
  }

  @Test
  void aSeqFileLongerThanAPageIsReadWholeThoughEachReadStopsAtAPage() throws Exception {
    // mountinfo is a seq_file of one record per mount: a read returns at most about a page, short
    // of the 16 KiB asked for, and only a read under SHORT_READ bytes is taken for the end
    Path mountinfo = Path.of("/proc/self/mountinfo");
    assumeThat(Files.isReadable(mountinfo)).as("Linux procfs").isTrue();
    try (CachedFileReader r = new CachedFileReader()) {
      String expected = Files.readString(mountinfo);
      assertThat(r.read("self", mountinfo)).isEqualTo(expected);
      assertThat(r.read("self", mountinfo)).isEqualTo(expected); // the kept channel, from 0 again
    }
  }

  @Test
  void aRealCgroupFileIsReadAfreshAndARecreatedCgroupIsFollowed() throws Exception {
    Path memory = Path.of("/sys/fs/cgroup/memory");
    assumeThat(Files.isWritable(memory.resolve("cgroup.procs")))
        .as("a writable cgroup v1 memory hierarchy (root)")
        .isTrue();
    Path cg = memory.resolve("cm-cached-reader-test-" + ProcessHandle.current().pid());
    Path limit = cg.resolve("memory.limit_in_bytes");
    try (CachedFileReader r = new CachedFileReader()) {
      Files.createDirectory(cg);
      try {
        Files.writeString(limit, "67108864");
        assertThat(r.read("c", limit)).isEqualTo("67108864\n");
        Files.writeString(limit, "33554432");
        assertThat(r.read("c", limit)).as("kernfs regenerates at offset 0").isEqualTo("33554432\n");
      } finally {
        Files.delete(cg);
      }
      // the kept channel now points at a removed cgroup; the same path is a new one
      Files.createDirectory(cg);
      try {
        Files.writeString(limit, "16777216");
        assertThat(r.read("c", limit)).isEqualTo("16777216\n");
        assertThat(r.openChannels("c")).isEqualTo(1);
      } finally {
        Files.delete(cg);
      }
      assertThatThrownBy(() -> r.read("c", limit)).isInstanceOf(NoSuchFileException.class);
      assertThat(r.openChannels("c")).isZero();
    }
  }

  @Test
  void keptChannelsAreBoundedAndReleasedPerOwnerWithoutLeakingDescriptors(@TempDir Path dir)
      throws Exception {
    for (int i = 0; i < 60; i++) {
      Files.writeString(dir.resolve("f" + i), "v" + i + "\n");
    }
    long before = openDescriptors();
    try (CachedFileReader r = new CachedFileReader(50, 0)) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 30; i++) {
          assertThat(r.read("a", dir.resolve("f" + i))).isEqualTo("v" + i + "\n");
        }
        for (int i = 30; i < 60; i++) {
          assertThat(r.read("b", dir.resolve("f" + i))).isEqualTo("v" + i + "\n");
        }
      }
      assertThat(r.openChannels()).as("bounded").isEqualTo(50);
      assertThat(r.openChannels("a")).isEqualTo(30);
      assertThat(r.openChannels("b")).isEqualTo(20);
      assertThat(openDescriptors() - before).isBetween(50L, 52L);

      r.release("a");
      assertThat(r.openChannels("a")).isZero();
      assertThat(r.openChannels()).isEqualTo(20);
      r.release("b", dir.resolve("f4"));
      assertThat(r.openChannels("b")).as("a prefix is whole path elements").isEqualTo(20);
      r.release("b", dir.resolve("f45"));
      assertThat(r.openChannels("b")).isEqualTo(19);
      r.release("b");
      assertThat(r.openChannels()).isZero();
      assertThat(openDescriptors()).isLessThanOrEqualTo(before);
      // still readable after release, and past the bound nothing is kept
      assertThat(r.read("a", dir.resolve("f0"))).isEqualTo("v0\n");
    }
    assertThat(openDescriptors()).isLessThanOrEqualTo(before);
  }

  @Test
  void aMissingFileIsNotLookedForAgainUntilTheRetryTime(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("blkio.io_serviced_recursive");
    try (CachedFileReader slow = new CachedFileReader(10, Long.MAX_VALUE);
        CachedFileReader eager = new CachedFileReader(10, 0)) {
      assertThatThrownBy(() -> slow.read("c", f)).isInstanceOf(NoSuchFileException.class);
      assertThatThrownBy(() -> eager.read("c", f)).isInstanceOf(NoSuchFileException.class);
      assertThat(slow.exists("c", f)).isFalse();
      Files.writeString(f, "Total 0\n");
      assertThat(slow.exists("c", f)).as("remembered as missing").isFalse();
      assertThat(eager.read("c", f)).isEqualTo("Total 0\n");
      slow.release("c");
      assertThat(slow.read("c", f)).as("forgotten with its owner").isEqualTo("Total 0\n");
    }
  }

  @Test
  void keepsHalfTheDescriptorLimitWithinBoundsAndTheDefaultWhenItIsUnknown() {
    assertThat(CachedFileReader.maxOpenFor(20_000)).isEqualTo(10_000);
    assertThat(CachedFileReader.maxOpenFor(1024)).isEqualTo(512);
    assertThat(CachedFileReader.maxOpenFor(100)).isEqualTo(256);
    assertThat(CachedFileReader.maxOpenFor(1_048_576)).isEqualTo(CachedFileReader.MAX_MAX_OPEN);
    assertThat(CachedFileReader.maxOpenFor(0)).isEqualTo(CachedFileReader.DEFAULT_MAX_OPEN);
    assertThat(CachedFileReader.maxOpenFor(-1)).isEqualTo(CachedFileReader.DEFAULT_MAX_OPEN);
  }
}
