package dev.seqcast.cli;

import dev.seqcast.model.BundleSigner;
import dev.seqcast.model.KeyFileException;
import dev.seqcast.model.TrustedKeys;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Loads the key files named by {@code --sign-key} and {@code --trusted-keys} options; a file or
 * directory that cannot be used is a usage error naming the option.
 */
final class KeyOptions {

  private KeyOptions() {}

  /** The signer for a {@code --sign-key} option, or null when the option is absent. */
  static BundleSigner signer(CommandLine cli, Path signKey) {
    if (signKey == null) {
      return null;
    }
    try {
      return BundleSigner.load(signKey);
    } catch (KeyFileException e) {
      throw new CommandLine.ParameterException(cli, "--sign-key: " + e.getMessage());
    }
  }

  /** The keys of a {@code --trusted-keys} option, or null when the option is absent. */
  static TrustedKeys trustedKeys(CommandLine cli, Path dir) {
    if (dir == null) {
      return null;
    }
    try {
      return TrustedKeys.load(dir);
    } catch (KeyFileException e) {
      throw new CommandLine.ParameterException(cli, "--trusted-keys: " + e.getMessage());
    }
  }
}
