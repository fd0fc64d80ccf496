package dev.seqcast.streams;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names of the topics seqcast reads and writes, so it can run on the names an existing Kafka
 * estate already uses; {@link #defaults()} are the {@link Topics} constants. Every name follows
 * Kafka's topic name rules and names a topic of its own.
 *
 * @param ticks ticks in (key = series id)
 * @param predictions forecasts out
 * @param anomalies anomalies out
 * @param dlq dead letters of both pipelines
 * @param models model bundles and control records (compacted)
 * @param modelEvents what happened to models in each instance
 * @param frames audio in, for the speech tagger
 * @param tags speech tags out
 */
public record TopicNames(
    String ticks,
    String predictions,
    String anomalies,
    String dlq,
    String models,
    String modelEvents,
    String frames,
    String tags) {

  /** Longest topic name Kafka accepts. */
  public static final int MAX_LENGTH = 249;

  /**
   * @throws IllegalArgumentException naming the topic whose name breaks a Kafka rule, or the two
   *     topics that would share one
   */
  public TopicNames {
    Map<String, String> byRole = new LinkedHashMap<>();
    byRole.put("ticks", ticks);
    byRole.put("predictions", predictions);
    byRole.put("anomalies", anomalies);
    byRole.put("dlq", dlq);
    byRole.put("models", models);
    byRole.put("model events", modelEvents);
    byRole.put("frames", frames);
    byRole.put("tags", tags);
    byRole.forEach(
        (role, name) -> {
          String problem = problem(name);
          if (problem != null) {
            throw new IllegalArgumentException(role + " topic: " + problem);
          }
        });
    String[] clash = clash(byRole);
    if (clash != null) {
      throw new IllegalArgumentException(
          "the "
              + clash[0]
              + " and "
              + clash[1]
              + " topics would share one topic ("
              + byRole.get(clash[0])
              + ", "
              + byRole.get(clash[1])
              + "); each needs a name of its own");
    }
  }

  /** Today's names: {@code seqcast.ticks}, {@code seqcast.predictions} and so on. */
  public static TopicNames defaults() {
    return new TopicNames(
        Topics.TICKS,
        Topics.PREDICTIONS,
        Topics.ANOMALIES,
        Topics.DLQ,
        Topics.MODELS,
        Topics.MODEL_EVENTS,
        Topics.FRAMES,
        Topics.TAGS);
  }

  /**
   * Which Kafka topic name rule {@code name} breaks, as a sentence that quotes it, or null when it
   * is a valid name: 1 to 249 characters of ASCII letters, digits, '.', '_' and '-', and neither
   * "." nor "..".
   */
  public static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "a topic name must not be empty";
    }
    if (name.equals(".") || name.equals("..")) {
      return "'" + name + "' is not a valid topic name: Kafka reserves '.' and '..'";
    }
    if (name.length() > MAX_LENGTH) {
      return "'"
          + name
          + "' is not a valid topic name: it has "
          + name.length()
          + " characters, Kafka allows at most "
          + MAX_LENGTH;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean legal =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!legal) {
        return "'"
            + name
            + "' is not a valid topic name: '"
            + c
            + "' at position "
            + (i + 1)
            + "; Kafka allows only ASCII letters, digits, '.', '_' and '-'";
      }
    }
    return null;
  }

  /**
   * The first two keys of {@code nameByKey} whose names are the same topic to Kafka, or null. Kafka
   * treats names that differ only in '.' against '_' as colliding (their metric names are the same)
   * and refuses to create the second.
   */
  public static String[] clash(Map<String, String> nameByKey) {
    Map<String, String> keyByCanonical = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : nameByKey.entrySet()) {
      String canonical = entry.getValue().replace('.', '_');
      String earlier = keyByCanonical.putIfAbsent(canonical, entry.getKey());
      if (earlier != null) {
        return new String[] {earlier, entry.getKey()};
      }
    }
    return null;
  }
}
