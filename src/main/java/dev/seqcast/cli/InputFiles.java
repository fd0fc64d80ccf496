package dev.seqcast.cli;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.data.SeriesCsv;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/**
 * Reads the files the user names on the command line. A file that cannot be used (missing,
 * unreadable, or not what the option takes) is the user's input, so it is a usage error, exit 2,
 * naming the option or file and what is wrong; exit 1 stays for failures that are not the input's.
 */
final class InputFiles {

  private InputFiles() {}

  /**
   * The series of a CSV file, for a command that needs every value: an empty value cell is refused
   * like any other mistake in the file, naming its line and column.
   *
   * @param check the options that chose the file and its columns, named in the error
   */
  static List<Series> seriesWithoutGaps(
      CommandLine cli,
      Path file,
      String column,
      String seriesColumn,
      String seriesId,
      String check) {
    try {
      return SeriesCsv.loadWithoutGaps(file, column, seriesColumn, seriesId);
    } catch (IllegalArgumentException e) {
      throw usage(cli, e.getMessage() + " (check " + check + ")");
    } catch (IOException e) {
      throw usage(cli, file + " cannot be read: " + reason(e) + " (check " + check + ")");
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
