package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.Prediction;
import dev.seqcast.forecast.PredictionSerde;
import dev.seqcast.forecast.PredictorApp;
import dev.seqcast.forecast.TickCodec;
import dev.seqcast.kafka.BrokerSecurity;
import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.CliRun;
import dev.seqcast.testkit.KafkaTestSupport;
import dev.seqcast.testkit.TestModels;
import dev.seqcast.testkit.TlsStores;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * seqcast on a secured cluster: a real KRaft broker with SASL_SSL (SCRAM-SHA-512) and the
 * StandardAuthorizer, TLS stores generated here. The predictor runs as its own JVM ({@code java
 * -jar target/seqcast.jar serve}) under a principal holding exactly the ACLs docs/security.md
 * lists, and predicts; a principal without write access to {@code seqcast.models} cannot publish; a
 * principal that can write still cannot get a forged bundle run past {@code --trusted-keys}. No
 * password or JAAS secret appears in anything the app or the CLI printed.
 */
class SecuredClusterIT {

  private static final String APP_ID = PredictorApp.Config.DEFAULT_APPLICATION_ID;
  private static final int TICKS = 60;

  @TempDir Path tmp;

  /** The ACLs the predictor needs, as docs/security.md lists them. */
  static List<AclBinding> predictorAcls(String principal, String applicationId) {
    List<AclBinding> acls = new ArrayList<>();
    acls.add(allow(principal, ResourceType.TOPIC, Topics.TICKS, false, AclOperation.READ));
    acls.add(allow(principal, ResourceType.TOPIC, Topics.MODELS, false, AclOperation.READ));
    acls.add(allow(principal, ResourceType.TOPIC, Topics.PREDICTIONS, false, AclOperation.WRITE));
    acls.add(allow(principal, ResourceType.TOPIC, Topics.DLQ, false, AclOperation.WRITE));
    acls.add(allow(principal, ResourceType.TOPIC, Topics.ANOMALIES, false, AclOperation.WRITE));
    acls.add(allow(principal, ResourceType.TOPIC, Topics.MODEL_EVENTS, false, AclOperation.WRITE));
    // Kafka Streams' own topics (changelogs) carry the application id as their prefix.
    for (AclOperation op :
        List.of(
            AclOperation.CREATE,
            AclOperation.READ,
            AclOperation.WRITE,
            AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS)) {
      acls.add(allow(principal, ResourceType.TOPIC, applicationId, true, op));
    }
    acls.add(allow(principal, ResourceType.GROUP, applicationId, false, AclOperation.READ));
    // exactly_once_v2: transactional ids are <application id>-<process id>-<thread>.
    acls.add(
        allow(principal, ResourceType.TRANSACTIONAL_ID, applicationId, true, AclOperation.WRITE));
    return acls;
  }

  private static AclBinding allow(
      String principal, ResourceType type, String name, boolean prefixed, AclOperation op) {
    return new AclBinding(
        new ResourcePattern(type, name, prefixed ? PatternType.PREFIXED : PatternType.LITERAL),
        new AccessControlEntry("User:" + principal, "*", op, AclPermissionType.ALLOW));
  }

  /** Waits until the broker serves {@code users}' credentials and at least {@code acls} ACLs. */
  private static void awaitApplied(Admin client, List<String> users, int acls) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      boolean credentials;
      try {
        credentials =
            client.describeUserScramCredentials(users).all().get().keySet().containsAll(users);
      } catch (java.util.concurrent.ExecutionException notYet) {
        credentials = false; // ResourceNotFoundException for a user the broker does not know yet
      }
      boolean grants =
          client
                  .describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY)
                  .values()
                  .get()
                  .size()
              >= acls;
      if (credentials && grants) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the broker did not apply the test's users and ACLs within 60 s");
      }
      Thread.sleep(50);
    }
  }

  @Test
  void theAppPredictsUnderItsGrantsUnauthorisedPublishingFailsForgedBundlesAreRefused()
      throws Exception {
    Map<String, String> secrets = new HashMap<>();
    for (String user : List.of("admin", "predictor", "publisher", "reader", "stores")) {
      secrets.put(user, "pw-" + user + "-" + UUID.randomUUID());
    }
    TlsStores tls = TlsStores.create(tmp, secrets.get("stores"));
    BrokerSecurity security =
        new BrokerSecurity(
            tls.keyStore(), tls.trustStore(), tls.password(), "admin", secrets.get("admin"));
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startSecured(0, null, security)) {
      KafkaConnection admin = broker.connection();
      Topics.createAll(admin, Topics.DEFAULT_PARTITIONS, (short) 1);
      try (Admin client = Admin.create(admin.clientConfig())) {
        List<UserScramCredentialUpsertion> users = new ArrayList<>();
        for (String user : List.of("predictor", "publisher", "reader")) {
          users.add(
              new UserScramCredentialUpsertion(
                  user,
                  new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                  secrets.get(user)));
        }
        client.alterUserScramCredentials(new ArrayList<>(users)).all().get();
        List<AclBinding> acls = new ArrayList<>(predictorAcls("predictor", APP_ID));
        acls.add(allow("publisher", ResourceType.TOPIC, Topics.MODELS, false, AclOperation.WRITE));
        acls.add(allow("reader", ResourceType.TOPIC, Topics.MODELS, false, AclOperation.READ));
        client.createAcls(acls).all().get();
        // Both calls return once the controller has committed; the broker applies the metadata
        // after that. Until it has, a new user fails authentication instead of authorisation.
        awaitApplied(client, List.of("predictor", "publisher", "reader"), acls.size());
      }
      Path publisher = clientConfig(broker, "publisher", secrets, tls);
      Path reader = clientConfig(broker, "reader", secrets, tls);
      List<CliRun> cliRuns = new ArrayList<>();

      cliRuns.add(
          ok(
              CliRun.of(
                  "model",
                  "keygen",
                  "--out",
                  tmp.resolve("release").toString(),
                  "--name",
                  "release")));
      cliRuns.add(
          ok(
              CliRun.of(
                  "model", "keygen", "--out", tmp.resolve("rogue").toString(), "--name", "rogue")));
      Path trusted = Files.createDirectory(tmp.resolve("trusted"));
      Files.copy(tmp.resolve("release/release.pub.pem"), trusted.resolve("release.pub.pem"));
      Path v1 = Files.write(tmp.resolve("v1.bundle"), TestModels.bundledSp500());
      Path v2 =
          Files.write(tmp.resolve("v2.bundle"), TestModels.random("sp500", 2, 32, 9).encode());

      // Publishing needs write access to seqcast.models: the reader is refused, clearly.
      CliRun denied = publish(v1, "release/release.key.pem", reader);
      cliRuns.add(denied);
      assertNotEquals(0, denied.exit(), denied.all());
      assertTrue(
          denied
              .flattened()
              .err()
              .contains(
                  "not authorized to write "
                      + Topics.MODELS
                      + " on "
                      + broker.bootstrapServers()
                      + ": grant this principal WRITE on topic "
                      + Topics.MODELS),
          denied.err());
      cliRuns.add(ok(publish(v1, "release/release.key.pem", publisher)));

      // The predictor as its own process: settings from a file, its JAAS secret from the
      // environment, as a container would get them.
      Path appConfig = clientConfig(broker, "predictor", secrets, tls);
      Properties appSettings = load(appConfig);
      String jaas = (String) appSettings.remove("sasl.jaas.config");
      store(appSettings, appConfig);
      Path serveLog = tmp.resolve("serve.log");
      ProcessBuilder serve =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  // Kafka's clients log their whole configuration at info: the most a log can
                  // show, so the secrets check below covers it (seqcast's default is warn).
                  "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info",
                  "-jar",
                  Path.of("target", "seqcast.jar").toAbsolutePath().toString(),
                  "serve",
                  "--kafka-config",
                  appConfig.toString(),
                  "--trusted-keys",
                  trusted.toString(),
                  "--state-dir",
                  tmp.resolve("state").toString(),
                  "--metrics-port",
                  "0")
              .redirectErrorStream(true)
              .redirectOutput(serveLog.toFile());
      serve.environment().put("SEQCAST_KAFKA_SASL_JAAS_CONFIG", jaas);
      Process app = serve.start();
      try {
        awaitLine(serveLog, "seqcast predictor running", app);
        List<ConsumerRecord<byte[], byte[]>> first = predict(admin, 0);
        first.forEach(r -> assertEquals(1, PredictionSerde.decode(r.value()).modelVersion()));

        // A principal that may write publishes a newer bundle signed by an untrusted key: the
        // broker takes it, the predictor refuses it and keeps version 1.
        cliRuns.add(ok(publish(v2, "rogue/rogue.key.pem", publisher)));
        awaitLine(serveLog, "refused model bundle from sp500/2: untrusted-key", app);
        List<ConsumerRecord<byte[], byte[]>> all = predict(admin, TICKS);
        for (ConsumerRecord<byte[], byte[]> r : all) {
          Prediction p = PredictionSerde.decode(r.value());
          assertEquals(1, p.modelVersion(), "forged version ran at " + p.ts());
        }
      } finally {
        app.destroy();
        assertTrue(app.waitFor(60, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
      }

      String printed = Files.readString(serveLog);
      StringBuilder cli = new StringBuilder();
      cliRuns.forEach(r -> cli.append(r.all()));
      assertTrue(
          printed.contains("sasl.jaas.config = [hidden]")
              && printed.contains("ssl.truststore.password = [hidden]"),
          "the check saw no client configuration");
      for (Map.Entry<String, String> secret : secrets.entrySet()) {
        assertFalse(
            printed.contains(secret.getValue()), secret.getKey() + "'s password in the log");
        assertFalse(cli.toString().contains(secret.getValue()), secret.getKey() + " in CLI output");
      }
    }
  }

  /** Produces {@link #TICKS} ticks after {@code from} as the super user; reads all predictions. */
  private static List<ConsumerRecord<byte[], byte[]>> predict(KafkaConnection admin, int from)
      throws Exception {
    List<ProducerRecord<byte[], byte[]>> ticks = new ArrayList<>();
    for (int t = from; t < from + TICKS; t++) {
      double price = 100 * Math.exp(0.01 * Math.sin(t * 0.3));
      ticks.add(
          KafkaTestSupport.record(
              Topics.TICKS, "alpha", TickCodec.encodeValue(86_400_000L * t, price)));
    }
    KafkaTestSupport.produce(admin, ticks);
    return KafkaTestSupport.readCommitted(
        admin, Topics.PREDICTIONS, from + TICKS, Duration.ofSeconds(120));
  }

  private Path clientConfig(
      EmbeddedKafkaBroker broker, String user, Map<String, String> secrets, TlsStores tls)
      throws IOException {
    Properties properties = new Properties();
    properties.putAll(
        BrokerSecurity.clientSettings(user, secrets.get(user), tls.trustStore(), tls.password()));
    properties.put("bootstrap.servers", broker.bootstrapServers());
    Path file = tmp.resolve(user + ".properties");
    store(properties, file);
    return file;
  }

  private static Properties load(Path file) throws IOException {
    Properties properties = new Properties();
    try (var reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    }
    return properties;
  }

  private static void store(Properties properties, Path file) throws IOException {
    try (Writer writer = Files.newBufferedWriter(file)) {
      properties.store(writer, null);
    }
  }

  private static void awaitLine(Path log, String line, Process app) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!Files.readString(log).contains(line)) {
      if (!app.isAlive()) {
        throw new AssertionError("serve exited " + app.exitValue() + ":\n" + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + line + "' in the serve log:\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }

  /** {@code model publish} of {@code bundle}, signed with key file {@code key}, as a principal. */
  private CliRun publish(Path bundle, String key, Path kafkaConfig) {
    return CliRun.of(
        "model",
        "publish",
        "--bundle",
        bundle.toString(),
        "--sign-key",
        tmp.resolve(key).toString(),
        "--kafka-config",
        kafkaConfig.toString());
  }

  private static CliRun ok(CliRun run) {
    return run.ok();
  }
}
