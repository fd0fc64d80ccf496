package dev.seqcast.train;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Runs ND4J's native ops on the calling thread only. The recurrent networks trained here are small,
 * so each op is far too short to gain from OpenMP's worker threads, and on a machine whose cores
 * are busy the workers' spinning and hand-offs made a minibatch of an LSTM 3 to 17 times slower
 * than one thread (measured on the 2-core development machine under load). Process-wide; call
 * before training.
 */
public final class Nd4jThreads {

  private Nd4jThreads() {}

  /** One thread for ND4J's ops and its BLAS calls, from now on in this process. */
  public static void single() {
    Nd4j.getEnvironment().setMaxThreads(1);
    Nd4j.getEnvironment().setMaxMasterThreads(1);
    Nd4j.factory().blas().setMaxThreads(1);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
  }
}
