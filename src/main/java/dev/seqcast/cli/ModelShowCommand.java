package dev.seqcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqcast.model.BundleSignature;
import dev.seqcast.model.TrustedKeys;
import dev.seqcast.streams.ModelCatalog.StoredBundle;
import dev.seqcast.streams.ModelLineup;
import dev.seqcast.streams.Scorecards;
import dev.seqcast.streams.StoredBundleView;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** One bundle of the models topic in full. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Show one model bundle on seqcast.models: its full header, pretty-printed, and its"
            + " signature status. Without /VERSION, the highest version of the name.")
public final class ModelShowCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "NAME[/VERSION]",
      description = "Model name, optionally with a version, e.g. sp500 or sp500/3.")
  String model;

  @Mixin ModelTopicOptions topic;

  @Override
  public Integer call() throws Exception {
    int slash = model.lastIndexOf('/');
    String name = slash < 0 ? model : model.substring(0, slash);
    Long version = null;
    if (slash >= 0) {
      try {
        version = Long.parseLong(model.substring(slash + 1));
      } catch (NumberFormatException e) {
        version = -1L;
      }
    }
    if (name.isEmpty() || (version != null && version < 1)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "expected NAME or NAME/VERSION with a version of at least 1, e.g. sp500/3; was '"
              + model
              + "'");
    }
    TrustedKeys trusted = topic.validate(spec.commandLine());
    List<StoredBundle> all = topic.read();
    List<StoredBundle> stored = ModelLineup.bundles(all);
    StoredBundle found = find(stored, name, version);
    StoredBundleView view = StoredBundleView.of(found, trusted);
    PrintWriter console = spec.commandLine().getOut();
    console.printf(
        "%s on %s: partition %d, offset %d, published %s, %,d bytes%n",
        found.key(),
        topic.names.models(),
        found.partition(),
        found.offset(),
        found.timestamp(),
        found.value().length);
    console.println("signature: " + signature(view));
    console.println(
        "status:    "
            + (view.refusal() == null
                ? "valid"
                : "INVALID ("
                    + view.refusal().reason().code()
                    + "): "
                    + view.refusal().getMessage()));
    ModelLineup.Model lineup = ModelTopicOptions.lineup(all, trusted).model(name);
    long shown = found.keyVersion();
    console.printf(
        "running:   %s (model %s: live %s, %s; shadow %s)%n",
        shown == nullToZero(lineup.live())
            ? "live"
            : shown == nullToZero(lineup.shadow()) ? "in shadow" : "not running",
        name,
        lineup.live() == null ? "none" : lineup.live(),
        lineup.liveReason(),
        lineup.shadow() == null ? "none" : lineup.shadow());
    printScorecards(console, name);
    if (view.bundle() != null) {
      console.println("header:");
      JsonNode header = JSON.readTree(view.bundle().headerJson());
      header.forEach(ModelShowCommand::sortFields);
      console.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(header));
    }
    console.flush();
    return 0;
  }

  private static long nullToZero(Long version) {
    return version == null ? 0 : version;
  }

  /** Online error per version from the instances' scorecards; a note when there are none. */
  private void printScorecards(PrintWriter console, String name) {
    Map<String, Scorecards.Totals> totals;
    try {
      totals = Scorecards.of(topic.connection, topic.names.modelEvents(), name);
    } catch (IllegalArgumentException | IllegalStateException e) {
      console.println("online:    no scorecards (" + e.getMessage() + ")");
      return;
    }
    if (totals.isEmpty()) {
      console.println("online:    no scorecards yet (instances write one every 30 s)");
      return;
    }
    console.println("online:    forecasts scored by the running instances (newest card each):");
    for (Scorecards.Totals t : totals.values()) {
      console.printf(
          Locale.ROOT,
          "           %-6s v%-4d %,10d scored  MAE %.4f  RMSE %.4f%n",
          t.role(),
          t.version(),
          t.scored(),
          t.mae(),
          t.rmse());
    }
  }

  /**
   * Sorts the fields of nested objects such as {@code training} and {@code metrics}, whose order in
   * the bundle is arbitrary; the top level keeps the order the bundle format documents.
   */
  private static void sortFields(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      object.fields().forEachRemaining(field -> sorted.put(field.getKey(), field.getValue()));
      object.removeAll();
      sorted.forEach(object::set);
    }
    node.forEach(ModelShowCommand::sortFields);
  }

  private static String signature(StoredBundleView view) {
    if (view.bundle() == null) {
      return "unknown: the bundle does not decode";
    }
    if (view.bundle().signature().isEmpty()) {
      return "none (unsigned)";
    }
    BundleSignature signature = view.bundle().signature().get();
    String by = "Ed25519 by key " + signature.keyId();
    if (view.trusted() == null) {
      return by + ", not checked (pass --trusted-keys DIR to check it)";
    }
    return view.refusal() == null ? by + ", verified against the " + view.trusted() : by;
  }

  /** The record of {@code name} at {@code version}, or at its highest version when null. */
  private StoredBundle find(List<StoredBundle> stored, String name, Long version) {
    Map<String, List<Long>> versions =
        stored.stream()
            .collect(
                Collectors.groupingBy(
                    StoredBundle::keyName,
                    TreeMap::new,
                    Collectors.mapping(StoredBundle::keyVersion, Collectors.toList())));
    if (!versions.containsKey(name)) {
      throw new IllegalStateException(
          "no model '"
              + name
              + "' on "
              + topic.names.models()
              + " at "
              + topic.connection.bootstrapServers()
              + "; "
              + (versions.isEmpty()
                  ? "the topic holds no bundles"
                  : "models there: " + describe(versions)));
    }
    StoredBundle best = null;
    for (StoredBundle bundle : stored) {
      if (bundle.keyName().equals(name)
          && (version == null
              ? best == null || bundle.keyVersion() > best.keyVersion()
              : bundle.keyVersion() == version)) {
        best = bundle;
      }
    }
    if (best == null) {
      throw new IllegalStateException(
          "no version "
              + version
              + " of model '"
              + name
              + "' on "
              + topic.names.models()
              + "; versions there: "
              + versions.get(name).stream().map(String::valueOf).collect(Collectors.joining(", ")));
    }
    return best;
  }

  private static String describe(Map<String, List<Long>> versions) {
    return versions.entrySet().stream()
        .map(
            e ->
                e.getKey()
                    + " (versions "
                    + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + ")")
        .collect(Collectors.joining(", "));
  }
}
