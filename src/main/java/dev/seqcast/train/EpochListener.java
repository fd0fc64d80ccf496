package dev.seqcast.train;

/** Told after each training epoch, e.g. to draw a progress bar. */
@FunctionalInterface
public interface EpochListener {
  /** {@code epoch} counts from 1. */
  void epochDone(int epoch, int epochs, double loss);
}
