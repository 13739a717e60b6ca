package io.clustermonitor.exporters.node;

import io.clustermonitor.exporters.MetricFamily;
import io.clustermonitor.exporters.MetricType;
import io.clustermonitor.exporters.NoDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Software RAID state from /proc/mdstat (the format of drivers/md/md.c {@code md_seq_show}). */
final class MdadmCollector implements SubCollector {
  private static final Pattern STATUS = Pattern.compile("\\[(\\d+)/(\\d+)]");
  private static final Pattern BLOCKS = Pattern.compile("^\\s*(\\d+) blocks");
  private static final Pattern SYNC =
      Pattern.compile("(recovery|resync|check|reshape)\\s*=\\s*[\\d.]+%\\s*\\((\\d+)/(\\d+)\\)");
  private static final Pattern DELAYED = Pattern.compile("(recovery|resync|check|reshape)\\s*=");
  private static final String[] STATES = {"active", "inactive", "recovering", "resync", "check"};

  /** One array as parsed. */
  record Md(
      String name,
      String state,
      int disksActive,
      int disksTotal,
      int disksFailed,
      int disksSpare,
      double blocks,
      double synced) {}

  private final HostPaths paths;

  MdadmCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public String name() {
    return "mdadm";
  }

  static List<Md> parse(List<String> lines) {
    List<Md> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).trim().split("\\s+");
      if (f.length < 3 || !f[1].equals(":") || !f[0].startsWith("md")) {
        continue;
      }
      String state = f[2].equals("inactive") ? "inactive" : "active";
      int failed = 0;
      int spare = 0;
      int devices = 0;
      for (int j = 3; j < f.length; j++) {
        if (f[j].contains("[")) {
          devices++;
          if (f[j].endsWith("(F)")) {
            failed++;
          } else if (f[j].endsWith("(S)")) {
            spare++;
          }
        }
      }
      int total = 0;
      int active = devices - failed - spare;
      double blocks = 0;
      double synced = -1;
      for (int k = i + 1; k < lines.size() && !lines.get(k).isBlank(); k++) {
        String l = lines.get(k);
        if (!Character.isWhitespace(l.charAt(0))) {
          break;
        }
        Matcher b = BLOCKS.matcher(l);
        if (b.find()) {
          blocks = Double.parseDouble(b.group(1));
        }
        Matcher st = STATUS.matcher(l);
        if (st.find()) {
          total = Integer.parseInt(st.group(1));
          active = Integer.parseInt(st.group(2));
        }
        Matcher sy = SYNC.matcher(l);
        if (sy.find()) {
          synced = Double.parseDouble(sy.group(2));
          state = syncState(sy.group(1));
        } else {
          Matcher d = DELAYED.matcher(l);
          if (d.find()) {
            state = syncState(d.group(1));
          }
        }
      }
      out.add(
          new Md(f[0], state, active, total, failed, spare, blocks, synced < 0 ? blocks : synced));
    }
    return out;
  }

  private static String syncState(String kind) {
    return switch (kind) {
      case "recovery" -> "recovering";
      case "check" -> "check";
      default -> "resync";
    };
  }

  @Override
  public void collect(List<MetricFamily> out) throws Exception {
    Path file = paths.proc("mdstat");
    if (!Files.exists(file)) {
      throw new NoDataException("mdstat file does not exist: " + file);
    }
    MetricFamily.Builder required =
        MetricFamily.builder("node_md_disks_required", MetricType.GAUGE)
            .help("Total number of disks of device.");
    MetricFamily.Builder disks =
        MetricFamily.builder("node_md_disks", MetricType.GAUGE)
            .help("Number of active/failed/spare disks of device.");
    MetricFamily.Builder state =
        MetricFamily.builder("node_md_state", MetricType.GAUGE)
            .help("Indicates the state of md-device.");
    MetricFamily.Builder blocks =
        MetricFamily.builder("node_md_blocks", MetricType.GAUGE)
            .help("Total number of blocks on device.");
    MetricFamily.Builder synced =
        MetricFamily.builder("node_md_blocks_synced", MetricType.GAUGE)
            .help("Number of blocks synced on device.");
    for (Md md : parse(HostPaths.lines(file))) {
      required.sample(md.disksTotal(), "device", md.name());
      disks.sample(md.disksActive(), "device", md.name(), "state", "active");
      disks.sample(md.disksFailed(), "device", md.name(), "state", "failed");
      disks.sample(md.disksSpare(), "device", md.name(), "state", "spare");
      for (String s : STATES) {
        state.sample(s.equals(md.state()) ? 1 : 0, "device", md.name(), "state", s);
      }
      blocks.sample(md.blocks(), "device", md.name());
      synced.sample(md.synced(), "device", md.name());
    }
    for (MetricFamily.Builder b : List.of(required, disks, state, blocks, synced)) {
      if (!b.isEmpty()) {
        out.add(b.build());
      }
    }
  }
}
