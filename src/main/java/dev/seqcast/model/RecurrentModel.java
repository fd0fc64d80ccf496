package dev.seqcast.model;

/**
 * A validated, immutable model ready for streaming inference: header facts plus weights laid out
 * for the step kernel. Safe to share between threads.
 */
public interface RecurrentModel {

  /** Model name, e.g. {@code sp500}; series are routed to models by name. */
  String name();

  /** Version; a newer version of the same name replaces an older one. */
  long version();

  /** The recurrent cell. */
  CellType cell();

  /** Features per step. */
  int inputSize();

  /** Length of the recurrent state vector a series carries ({@code 2·hidden} for an LSTM). */
  int stateSize();

  /** Outputs of the head. */
  int outputSize();

  /** The input transform the model was trained with. */
  Normalisation normalisation();

  /** A new kernel for the calling thread. */
  StepKernel newKernel();
}
