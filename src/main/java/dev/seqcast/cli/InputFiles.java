package dev.seqcast.cli;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.data.SeriesCsv;
import dev.seqcast.model.BundleException;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.speech.WavFile;
import dev.seqcast.speech.train.SpeechCorpus;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/**
 * Reads the files the user names on the command line. A file that cannot be used (missing,
 * unreadable, or not what the option takes) is the user's input, so it is a usage error, exit 2,
 * naming the option or file and what is wrong; exit 1 stays for failures that are not the input's.
 * The benchmarks read their inputs through it too.
 */
public final class InputFiles {

  private InputFiles() {}

  /** The bytes of {@code file}, given as {@code option}. */
  public static byte[] read(CommandLine cli, String option, Path file) {
    if (!Files.isRegularFile(file)) {
      throw usage(cli, option + " '" + file + "' is not a readable file");
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw usage(cli, option + " '" + file + "' cannot be read: " + reason(e));
    }
  }

  /** The model bundle in {@code file}, given as {@code option}, decoded and checked. */
  public static ModelBundle bundle(CommandLine cli, String option, Path file) {
    try {
      return ModelBundle.decode(read(cli, option, file));
    } catch (BundleException e) {
      throw notABundle(cli, option, file, e);
    }
  }

  /** The usage error for a bundle file {@code refusal} found corrupt or unusable. */
  public static CommandLine.ParameterException notABundle(
      CommandLine cli, String option, Path file, BundleException refusal) {
    return usage(
        cli,
        option
            + " "
            + file
            + " is not a valid model bundle ("
            + refusal.reason().code()
            + ": "
            + refusal.getMessage()
            + ")");
  }

  /**
   * The series of a CSV file, for a command that needs every value: an empty value cell is refused
   * like any other mistake in the file, naming its line and column.
   *
   * @param check the options that chose the file and its columns, named in the error
   */
  public static List<Series> seriesWithoutGaps(
      CommandLine cli,
      Path file,
      String column,
      String seriesColumn,
      String seriesId,
      String check) {
    return series(cli, file, column, seriesColumn, seriesId, check, false);
  }

  /**
   * The series of a CSV file, an empty value cell a missing value ({@link Series#isMissing}), for a
   * command that handles gaps itself.
   *
   * @param check the options that chose the file and its columns, named in the error
   */
  public static List<Series> seriesWithGaps(
      CommandLine cli,
      Path file,
      String column,
      String seriesColumn,
      String seriesId,
      String check) {
    return series(cli, file, column, seriesColumn, seriesId, check, true);
  }

  private static List<Series> series(
      CommandLine cli,
      Path file,
      String column,
      String seriesColumn,
      String seriesId,
      String check,
      boolean gapsAllowed) {
    try {
      return gapsAllowed
          ? SeriesCsv.load(file, column, seriesColumn, seriesId)
          : SeriesCsv.loadWithoutGaps(file, column, seriesColumn, seriesId);
    } catch (IllegalArgumentException e) {
      throw usage(cli, e.getMessage() + " (check " + check + ")");
    } catch (IOException e) {
      throw usage(cli, file + " cannot be read: " + reason(e) + " (check " + check + ")");
    }
  }

  /** The speech recordings in directory {@code dir}, given as {@code option}. */
  public static List<SpeechCorpus.Recording> corpus(CommandLine cli, String option, Path dir) {
    try {
      return SpeechCorpus.load(dir);
    } catch (IllegalArgumentException e) {
      throw usage(cli, option + ": " + e.getMessage());
    } catch (IOException e) {
      throw usage(cli, option + ": " + dir + " cannot be read: " + reason(e));
    }
  }

  /** The 16-bit PCM samples of WAV file {@code file}, given as {@code option}. */
  public static WavFile.Audio wav(CommandLine cli, String option, Path file) {
    if (!Files.isRegularFile(file)) {
      throw usage(cli, option + " '" + file + "' is not a readable file");
    }
    try {
      return WavFile.read(file);
    } catch (IllegalArgumentException e) {
      throw usage(cli, option + ": " + e.getMessage());
    } catch (IOException e) {
      throw usage(cli, option + " '" + file + "' cannot be read: " + reason(e));
    }
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException missing) {
      return missing.getFile() + " does not exist";
    }
    return String.valueOf(e.getMessage());
  }

  private static CommandLine.ParameterException usage(CommandLine cli, String message) {
    return new CommandLine.ParameterException(cli, message);
  }
}
