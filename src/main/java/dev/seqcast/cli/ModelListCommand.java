package dev.seqcast.cli;

import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.TrustedKeys;
import dev.seqcast.streams.ModelCatalog.StoredBundle;
import dev.seqcast.streams.ModelLineup;
import dev.seqcast.streams.StoredBundleView;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** One row per bundle on the models topic. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "List every model bundle on seqcast.models (read once from the beginning up to its current"
            + " end): name, version, cell, layers x hidden, holdout MAE against the naive forecast,"
            + " training data range, creation time, and the signing key or 'unsigned'; a bundle"
            + " that fails validation shows INVALID (<reason>).")
public final class ModelListCommand implements Callable<Integer> {

  private static final String[] HEADINGS = {
    "NAME", "VERSION", "CELL", "SIZE", "HOLDOUT MAE (NAIVE)", "TRAINING DATA", "CREATED", "STATUS"
  };

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ModelTopicOptions topic;

  @Override
  public Integer call() {
    TrustedKeys trusted = topic.validate(spec.commandLine());
    List<StoredBundle> all = topic.read();
    List<StoredBundle> stored = ModelLineup.bundles(all);
    PrintWriter console = spec.commandLine().getOut();
    if (stored.isEmpty()) {
      console.printf(
          "no model bundles on %s at %s%n",
          topic.names.models(), topic.connection.bootstrapServers());
      console.flush();
      return 0;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADINGS);
    for (StoredBundle bundle : stored) {
      rows.add(row(StoredBundleView.of(bundle, trusted)));
    }
    int[] widths = new int[HEADINGS.length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.length; c++) {
        line.append(c == row.length - 1 ? row[c] : String.format("%-" + widths[c] + "s  ", row[c]));
      }
      console.println(line.toString().stripTrailing());
    }
    console.println();
    for (ModelLineup.Model model : ModelTopicOptions.lineup(all, trusted).models()) {
      console.printf(
          "%s: live %s (%s), shadow %s%n",
          model.name(),
          model.live() == null ? "none" : model.live(),
          model.liveReason(),
          model.shadow() == null ? "none" : model.shadow());
    }
    console.flush();
    return 0;
  }

  private static String[] row(StoredBundleView view) {
    if (view.bundle() == null) {
      return new String[] {view.name(), view.version(), "-", "-", "-", "-", "-", view.status()};
    }
    ModelHeader header = view.bundle().header();
    return new String[] {
      view.name(),
      view.version(),
      header.cell().wireName(),
      header.layers() + "x" + header.hiddenSize(),
      mae(header),
      range(header),
      header.createdAt().truncatedTo(ChronoUnit.SECONDS).toString(),
      view.status()
    };
  }

  private static String mae(ModelHeader header) {
    Double model = header.metrics().get("holdoutMae");
    Double naive = header.metrics().get("naiveMae");
    if (model == null || naive == null) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.4g (%.4g)", model, naive);
  }

  /** {@code from..to} as dates when both are midnight UTC (daily data), else as instants. */
  static String range(ModelHeader header) {
    Object from = header.training().get("dataFrom");
    Object to = header.training().get("dataTo");
    if (from == null || to == null) {
      return "-";
    }
    String text = from + ".." + to;
    try {
      Instant start = Instant.parse(from.toString());
      Instant end = Instant.parse(to.toString());
      if (start.equals(start.truncatedTo(ChronoUnit.DAYS))
          && end.equals(end.truncatedTo(ChronoUnit.DAYS))) {
        return start.toString().substring(0, 10) + ".." + end.toString().substring(0, 10);
      }
    } catch (java.time.format.DateTimeParseException e) {
      // shown as written
    }
    return text;
  }
}
