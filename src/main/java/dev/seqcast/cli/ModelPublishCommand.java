package dev.seqcast.cli;

import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.model.BundleException;
import dev.seqcast.model.BundleSigner;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelHeader;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.TopicNames;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Validates a bundle file, optionally signs it, and publishes it to the models topic. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description =
        "Publish a model bundle file to seqcast.models under <name>/<version> from its header. The"
            + " bundle is validated first (a corrupt file is refused and nothing is published);"
            + " with --sign-key it is signed, replacing any signature it had.")
public final class ModelPublishCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--bundle",
      required = true,
      paramLabel = "FILE",
      description = "The model bundle to publish, e.g. the --out of train.")
  Path bundleFile;

  @Option(
      names = "--sign-key",
      paramLabel = "KEY.pem",
      description =
          "Ed25519 private key (PKCS#8 PEM, e.g. from 'model keygen') to sign the bundle with"
              + " (default: publish the bundle as it is, signed or not).")
  Path signKey;

  @CommandLine.Mixin ConnectionOptions kafka;

  @CommandLine.Mixin TopicOptions topics;

  @Override
  public Integer call() throws Exception {
    TopicNames names = topics.names(spec.commandLine());
    byte[] bytes = InputFiles.read(spec.commandLine(), "--bundle", bundleFile);
    BundleSigner signer = KeyOptions.signer(spec.commandLine(), signKey);
    ModelBundle bundle;
    try {
      bundle = ModelBundle.decode(bytes);
      if (signer != null) {
        bytes = signer.sign(bytes);
      }
    } catch (BundleException e) {
      throw InputFiles.notABundle(spec.commandLine(), "--bundle", bundleFile, e);
    }
    ModelHeader header = bundle.header();
    String key = ModelPublisher.key(header.name(), header.version());
    KafkaConnection connection = kafka.connection(spec.commandLine());
    RecordMetadata published = ModelPublisher.publish(connection, names.models(), key, bytes);
    String signature =
        signer != null
            ? "signed by " + signer.keyId()
            : bundle
                .signature()
                .map(s -> "signed by " + s.keyId() + ", kept as it was")
                .orElse("unsigned");
    PrintWriter console = spec.commandLine().getOut();
    console.printf(
        "published %s (%s, %,d bytes) to %s on %s, partition %d offset %d%n",
        key,
        signature,
        bytes.length,
        names.models(),
        connection.bootstrapServers(),
        published.partition(),
        published.offset());
    console.flush();
    return 0;
  }
}
