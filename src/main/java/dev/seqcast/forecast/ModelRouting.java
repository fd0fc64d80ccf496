package dev.seqcast.forecast;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which model predicts which series: the first route whose pattern matches the whole series id
 * wins, else the default model. Lets price series and, say, monitoring series run different models
 * in one application. Immutable, thread-safe.
 *
 * @param defaultModel the model of every series no route matches
 * @param routes tried in order
 */
public record ModelRouting(String defaultModel, List<Route> routes) {

  /** One rule: series ids matching {@code pattern} (whole id) use {@code model}. */
  public record Route(Pattern pattern, String model) {

    /** Validates the model name. */
    public Route {
      if (model == null || model.isBlank() || model.contains("/")) {
        throw new IllegalArgumentException(
            "route model name must be non-empty without '/', was '" + model + "'");
      }
    }

    /**
     * Parses {@code REGEX=MODEL}; the last {@code =} separates them, so the regex may contain one.
     *
     * @throws IllegalArgumentException saying what is wrong with the spec
     */
    public static Route parse(String spec) {
      int eq = spec.lastIndexOf('=');
      if (eq <= 0 || eq == spec.length() - 1) {
        throw new IllegalArgumentException(
            "route '" + spec + "' must look like REGEX=MODEL, e.g. 'cpu\\..*=monitoring'");
      }
      try {
        return new Route(Pattern.compile(spec.substring(0, eq)), spec.substring(eq + 1));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "route '" + spec + "' has an invalid regex: " + e.getDescription(), e);
      }
    }

    @Override
    public String toString() {
      return pattern.pattern() + "=" + model;
    }
  }

  /** Copies the routes. */
  public ModelRouting {
    routes = List.copyOf(routes);
  }

  /** The model for {@code series}. */
  public String modelFor(String series) {
    for (Route route : routes) {
      if (route.pattern().matcher(series).matches()) {
        return route.model();
      }
    }
    return defaultModel;
  }

  /** Every model a series can be routed to: the default first. */
  public Set<String> models() {
    Set<String> models = new LinkedHashSet<>();
    models.add(defaultModel);
    routes.forEach(r -> models.add(r.model()));
    return models;
  }
}
