package dev.seqcast.cli;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Progress of a long command: a single redrawn bar on a terminal, plain periodic lines otherwise
 * (logs, CI), so output stays readable in both. Used by {@code train}, {@code backtest} and the
 * benchmarks. It is written to standard error, so standard output holds only the results and can be
 * piped or saved without progress lines in it. Confined to the thread doing the work; cheap enough
 * to call on every unit of work.
 */
public final class Progress {

  private static final long LINE_EVERY_NANOS = 5_000_000_000L;
  private static final long REDRAW_EVERY_NANOS = 100_000_000L;

  private final PrintWriter out;
  private final String task;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private long lastLine;
  private long lastDraw;

  /**
   * Progress of {@code task} on {@code err}, the command's standard error, drawn as a bar when the
   * process runs on a terminal.
   */
  public Progress(PrintWriter err, String task) {
    this(err, task, System.console() != null);
  }

  Progress(PrintWriter out, String task, boolean terminal) {
    this.out = out;
    this.task = task;
    this.terminal = terminal;
  }

  /** Reports {@code done} of {@code total} units, with a short {@code detail}. */
  public void update(long done, long total, String detail) {
    long now = System.nanoTime();
    double fraction = total == 0 ? 1 : (double) done / total;
    Duration elapsed = Duration.ofNanos(now - started);
    long etaSeconds =
        fraction <= 0 ? 0 : Math.round(elapsed.toSeconds() * (1 - fraction) / fraction);
    if (terminal) {
      if (done < total && now - lastDraw < REDRAW_EVERY_NANOS) {
        return;
      }
      lastDraw = now;
      int width = 30;
      int filled = (int) Math.round(fraction * width);
      out.printf(
          "\r%s [%s%s] %d/%d %s ETA %ds ",
          task, "#".repeat(filled), ".".repeat(width - filled), done, total, detail, etaSeconds);
      if (done >= total) {
        out.println();
      }
      out.flush();
    } else if (done >= total || now - lastLine >= LINE_EVERY_NANOS) {
      lastLine = now;
      out.printf(
          "%s %d/%d %s (elapsed %ds, ETA %ds)%n",
          task, done, total, detail, elapsed.toSeconds(), etaSeconds);
      out.flush();
    }
  }
}
