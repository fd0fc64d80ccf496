package dev.seqcast.streams;

import dev.seqcast.model.RecurrentModel;
import dev.seqcast.streams.ModelCatalog.StoredBundle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the models topic says about each model name, decided by {@link ModelRegistry} itself, as an
 * instance starting now would decide it: its valid versions, its control record, and so its live
 * and shadow versions. Built from one read of the topic, for the {@code model} commands; because
 * the registries are the pipelines' own, a version the instances would refuse is never named live.
 */
public final class ModelLineup {

  /**
   * One model name.
   *
   * @param validVersions versions the pipeline's registry accepted, ascending
   * @param control the control record in force ({@link ModelControl#followNewest()} if none)
   * @param controlRecord the stored control record, or null if there is none
   * @param live the version instances run live, or null when none is valid
   * @param shadow the version instances run in shadow, or null
   */
  public record Model(
      String name,
      List<Long> validVersions,
      ModelControl control,
      StoredBundle controlRecord,
      Long live,
      Long shadow) {

    /** How the live version was chosen, for people. */
    public String liveReason() {
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

  /**
   * Replays the models topic into fresh registries, one per pipeline that shares the topic (each
   * ignores the other's bundles), and reads off what they run.
   *
   * @param stored the topic's records in offset order
   * @param registries new, empty registries of the pipelines, configured as the instances are
   */
  public static ModelLineup of(List<StoredBundle> stored, List<ModelRegistry> registries) {
    Map<String, byte[]> latest = new LinkedHashMap<>();
    Map<String, StoredBundle> controls = new TreeMap<>();
    TreeSet<String> names = new TreeSet<>();
    for (StoredBundle record : stored) {
      if (record.key() == null || record.value() == null) {
        continue;
      }
      latest.put(record.key(), record.value()); // compaction keeps the last value of a key
      if (ModelControl.isControlKey(record.key())) {
        controls.put(ModelControl.nameOf(record.key()), record);
        names.add(ModelControl.nameOf(record.key()));
      } else {
        names.add(record.keyName());
      }
    }
    for (ModelRegistry registry : registries) {
      registry.silence();
      registry.catchUp(latest, "the models topic"); // silenced: the reason is never reported
    }
    Map<String, Model> models = new TreeMap<>();
    for (String name : names) {
      ModelRegistry owner = registries.get(0);
      for (ModelRegistry registry : registries) {
        if (!registry.versions(name).isEmpty()) {
          owner = registry;
        }
      }
      models.put(
          name,
          new Model(
              name,
              owner.versions(name),
              owner.control(name),
              controls.get(name),
              version(owner.current(name)),
              version(owner.shadow(name))));
    }
    return new ModelLineup(models);
  }

  private static Long version(RecurrentModel model) {
    return model == null ? null : model.version();
  }

  /** The model named {@code name}, or null. */
  public Model model(String name) {
    return models.get(name);
  }

  /** Every model, by name. */
  public List<Model> models() {
    return new ArrayList<>(models.values());
  }

  /** Only the bundle records (control records left out), in topic order. */
  public static List<StoredBundle> bundles(List<StoredBundle> stored) {
    return stored.stream()
        .filter(r -> r.key() == null || !ModelControl.isControlKey(r.key()))
        .toList();
  }
}
