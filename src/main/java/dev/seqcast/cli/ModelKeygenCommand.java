package dev.seqcast.cli;

import dev.seqcast.model.KeyFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a new Ed25519 key pair for signing model bundles. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description =
        "Generate an Ed25519 key pair for signing model bundles: NAME.key.pem (private, PKCS#8,"
            + " readable by its owner only) signs with 'model publish --sign-key' or 'train"
            + " --sign-key'; NAME.pub.pem (public, X.509) goes into the directory given to 'serve"
            + " --trusted-keys'. Existing files are never overwritten.")
public final class ModelKeygenCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write the key files to; created if missing.")
  Path out;

  @Option(
      names = "--name",
      defaultValue = "seqcast",
      description = "Base name of the key files: letters, digits, '.', '_' and '-'.")
  String name;

  @Override
  public Integer call() throws IOException {
    if (!name.matches("[A-Za-z0-9._-]+")) {
      throw usage("--name may hold only letters, digits, '.', '_' and '-', was '" + name + "'");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw usage("--out '" + out + "' exists and is not a directory");
    }
    Path privateFile = out.resolve(name + ".key.pem");
    Path publicFile = out.resolve(name + ".pub.pem");
    for (Path file : new Path[] {privateFile, publicFile}) {
      if (Files.exists(file)) {
        throw usage(
            file
                + " already exists and key files are never overwritten; choose another --name"
                + " or --out");
      }
    }
    Files.createDirectories(out);
    KeyPair pair = KeyFiles.generate();
    KeyFiles.write(pair, privateFile, publicFile);
    PrintWriter console = spec.commandLine().getOut();
    console.printf("key id %s%n", KeyFiles.keyId(pair.getPublic()));
    console.printf(
        "  private key %s (keep it secret: whoever holds it can sign models)%n", privateFile);
    console.printf(
        "  public key  %s (copy it into the directory given to serve --trusted-keys)%n",
        publicFile);
    console.flush();
    return 0;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
