package dev.seqcast.cli;

import dev.seqcast.model.TrustedKeys;
import dev.seqcast.streams.ModelCatalog.StoredBundle;
import dev.seqcast.streams.ModelControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the models topic says about each model name, decided by the same rule every predictor
 * instance applies: its valid versions, its control record, and so its live and shadow versions.
 * Built from one read of the topic, for the {@code model} commands.
 */
final class ModelLineup {

  /**
   * One model name.
   *
   * @param validVersions versions whose bundle passes validation, ascending
   * @param control the control record in force ({@link ModelControl#followNewest()} if none)
   * @param controlRecord the stored control record, or null if there is none
   */
  record Model(
      String name, List<Long> validVersions, ModelControl control, StoredBundle controlRecord) {

    /** The version instances run live: the pinned one if valid, else the newest valid one. */
    Long live() {
      if (control.live() != null && validVersions.contains(control.live())) {
        return control.live();
      }
      return validVersions.isEmpty() ? null : validVersions.get(validVersions.size() - 1);
    }

    /** The shadow version instances run, or null. */
    Long shadow() {
      Long shadow = control.shadow();
      return shadow != null && validVersions.contains(shadow) && !shadow.equals(live())
          ? shadow
          : null;
    }

    /** How the live version was chosen, for people. */
    String liveReason() {
      if (control.live() == null) {
        return "newest valid version";
      }
      if (!validVersions.contains(control.live())) {
        return "pinned version " + control.live() + " is not valid or not there: newest runs";
      }
      return "pinned" + (control.reason().isEmpty() ? "" : ": " + control.reason());
    }
  }

  private final Map<String, Model> models;

  private ModelLineup(Map<String, Model> models) {
    this.models = models;
  }

  /** Sorts the records of the models topic into bundles and control records per name. */
  static ModelLineup of(List<StoredBundle> stored, TrustedKeys trusted) {
    Map<String, List<Long>> valid = new TreeMap<>();
    Map<String, StoredBundle> controls = new TreeMap<>();
    for (StoredBundle record : stored) {
      if (record.key() != null && ModelControl.isControlKey(record.key())) {
        controls.put(ModelControl.nameOf(record.key()), record);
        continue;
      }
      List<Long> versions = valid.computeIfAbsent(record.keyName(), n -> new ArrayList<>());
      if (StoredBundleView.of(record, trusted).refusal() == null) {
        versions.add(record.keyVersion());
      }
    }
    Map<String, Model> models = new TreeMap<>();
    for (String name : union(valid, controls)) {
      List<Long> versions = valid.getOrDefault(name, new ArrayList<>());
      versions.sort(null);
      StoredBundle record = controls.get(name);
      ModelControl control = ModelControl.followNewest();
      if (record != null) {
        try {
          control = ModelControl.decode(record.value());
        } catch (IllegalArgumentException e) {
          // instances refuse it too (bad-control) and follow the newest version
        }
      }
      models.put(name, new Model(name, List.copyOf(versions), control, record));
    }
    return new ModelLineup(models);
  }

  private static List<String> union(Map<String, ?> a, Map<String, ?> b) {
    TreeMap<String, Boolean> names = new TreeMap<>();
    a.keySet().forEach(n -> names.put(n, true));
    b.keySet().forEach(n -> names.put(n, true));
    return new ArrayList<>(names.keySet());
  }

  /** The model named {@code name}, or null. */
  Model model(String name) {
    return models.get(name);
  }

  /** Every model, by name. */
  List<Model> models() {
    return new ArrayList<>(models.values());
  }

  /** Only the bundle records (control records left out), in topic order. */
  static List<StoredBundle> bundles(List<StoredBundle> stored) {
    return stored.stream()
        .filter(r -> r.key() == null || !ModelControl.isControlKey(r.key()))
        .toList();
  }
}
