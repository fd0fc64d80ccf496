package dev.seqcast.model;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * What a model's head outputs: a regression head emits its linear outputs as they are (the
 * forecaster's standardised next log-return); a classification head emits a probability per class,
 * the softmax of its linear outputs, one class label per output. Bundle headers carry it as {@code
 * "head"} (and {@code "classes"} for classification); a header without {@code "head"} is a
 * regression head, as every bundle made before classification heads existed.
 *
 * @param kind regression or classification
 * @param classes class labels in output order; empty for regression
 */
public record OutputHead(Kind kind, List<String> classes) {

  /** The two head kinds. */
  public enum Kind {
    /** Linear outputs. */
    REGRESSION,
    /** Softmax over the linear outputs, one class per output. */
    CLASSIFICATION;

    /** The spelling in bundle headers. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the header spelling. */
    public static Kind parse(String text) {
      for (Kind kind : values()) {
        if (kind.wireName().equals(text)) {
          return kind;
        }
      }
      throw new IllegalArgumentException(
          "unknown head '" + text + "' (expected regression or classification)");
    }
  }

  /** The linear head of forecasting models. */
  public static final OutputHead REGRESSION = new OutputHead(Kind.REGRESSION, List.of());

  /** Validates the labels: none for regression; two or more distinct, non-blank for classes. */
  public OutputHead {
    classes = List.copyOf(classes);
    if (kind == Kind.REGRESSION && !classes.isEmpty()) {
      throw new IllegalArgumentException("a regression head has no classes");
    }
    if (kind == Kind.CLASSIFICATION) {
      if (classes.size() < 2) {
        throw new IllegalArgumentException("a classification head needs at least two classes");
      }
      if (new HashSet<>(classes).size() != classes.size()
          || classes.stream().anyMatch(String::isBlank)) {
        throw new IllegalArgumentException("class labels must be distinct and non-blank");
      }
    }
  }

  /** A softmax head over {@code classes}. */
  public static OutputHead classification(List<String> classes) {
    return new OutputHead(Kind.CLASSIFICATION, classes);
  }

  /** True for a softmax head. */
  public boolean isClassification() {
    return kind == Kind.CLASSIFICATION;
  }
}
