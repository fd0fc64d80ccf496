package dev.seqcast.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Model bundles on the models topic: signing keys, publishing, listing and inspecting. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description =
        "Manage model bundles: keygen (an Ed25519 signing key pair), publish (validate, optionally"
            + " sign, and publish a bundle file), list (every bundle on seqcast.models with its"
            + " status), show (one bundle's full header and signature, and how its versions"
            + " run); and decide what runs: pin, unpin, rollback, shadow, promote.",
    subcommands = {
      ModelKeygenCommand.class,
      ModelPublishCommand.class,
      ModelListCommand.class,
      ModelShowCommand.class,
      ModelControlCommands.Pin.class,
      ModelControlCommands.Unpin.class,
      ModelControlCommands.Rollback.class,
      ModelControlCommands.Shadow.class,
      ModelControlCommands.Promote.class
    })
public final class ModelCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing model command: choose one of " + spec.subcommands().keySet());
  }
}
