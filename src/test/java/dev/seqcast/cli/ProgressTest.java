package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.testkit.CliRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {

  @TempDir Path tmp;

  @Test
  void withoutATerminalItPrintsPlainLinesAndAlwaysTheLast() {
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text), "loading", false);
    for (int i = 1; i <= 1000; i++) {
      progress.update(i, 1000, "ticks");
    }
    String[] lines = text.toString().split("\n");
    // the first update prints at once, the rest within 5 s only when done
    assertEquals(2, lines.length, text.toString());
    assertTrue(lines[0].startsWith("loading 1/1000 ticks"), lines[0]);
    assertTrue(lines[1].startsWith("loading 1000/1000 ticks"), lines[1]);
    assertTrue(!text.toString().contains("\r"), "no carriage returns in logs");
  }

  @Test
  void onATerminalItRedrawsOneBarAndEndsTheLineWhenDone() {
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text), "training", true);
    progress.update(0, 4, "epoch");
    progress.update(4, 4, "epoch");
    String out = text.toString();
    assertTrue(out.startsWith("\rtraining [" + ".".repeat(30) + "] 0/4"), out);
    assertTrue(out.contains("\rtraining [" + "#".repeat(30) + "] 4/4"), out);
    assertTrue(out.endsWith("\n") || out.endsWith(System.lineSeparator()), "line ended when done");
    assertEquals(1, out.chars().filter(c -> c == '\n').count());
  }

  @Test
  void trainingProgressGoesToStandardErrorAndTheResultsToStandardOutput() {
    CliRun run =
        CliRun.of(
                "train",
                "--data",
                "data/sp500-2000.csv",
                "--epochs",
                "2",
                "--hidden",
                "4",
                "--out",
                tmp.resolve("m.bundle").toString())
            .ok();
    assertTrue(run.err().contains("training 2/2 loss "), "the last progress line: " + run.err());
    assertTrue(!run.out().contains("training "), "no progress among the results: " + run.out());
    assertTrue(run.out().contains("holdout MAE, model"), run.out());
  }
}
