package dev.seqcast.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM for a command that runs until stopped, through one shutdown hook: the hook
 * marks the stop requested (running the command's {@linkplain #onStop stop action}, if any) and
 * then waits until the command has {@linkplain #close finished} closing what it runs, so the JVM
 * does not exit halfway through a commit or a broker shutdown. The command's own thread does the
 * closing; this only tells it when.
 */
final class StopSignal implements AutoCloseable {

  /** How long the hook waits for the command to finish before letting the JVM exit anyway. */
  private static final Duration GRACE = Duration.ofSeconds(60);

  private final CountDownLatch requested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;
  private volatile Runnable onStop = () -> {};

  private StopSignal(String name) {
    hook =
        new Thread(
            () -> {
              onStop.run();
              requested.countDown();
              try {
                finished.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "seqcast-" + name + "-shutdown");
  }

  /** Registers the shutdown hook of the command {@code name} (e.g. {@code serve}). */
  static StopSignal install(String name) {
    StopSignal signal = new StopSignal(name);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  /** Also runs {@code action} when the stop is requested, before {@link #await} returns. */
  StopSignal onStop(Runnable action) {
    this.onStop = action;
    return this;
  }

  /** Whether Ctrl-C or SIGTERM arrived. */
  boolean requested() {
    return requested.getCount() == 0;
  }

  /** Blocks until the stop is requested. */
  void await() throws InterruptedException {
    requested.await();
  }

  /** Waits {@code duration} or until the stop is requested; true when it was. */
  boolean sleep(Duration duration) throws InterruptedException {
    return requested.await(duration.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The command has finished: the hook may let the JVM exit; without a stop, the hook goes. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running and was waiting for exactly this
    }
  }
}
