package dev.seqcast.kafka;

import java.nio.file.Path;
import java.util.Map;

/**
 * How an {@link EmbeddedKafkaBroker} secures itself: clients connect over SASL_SSL with
 * SCRAM-SHA-512, and the StandardAuthorizer allows only what ACLs grant, except to the one super
 * user the broker itself and administration run as. The controller listener stays on localhost and
 * authenticates the same super user with SASL/PLAIN.
 *
 * <p>{@link #toString()} leaves out the passwords.
 *
 * @param keyStore PKCS12 key store holding the broker's TLS key and certificate (for {@code
 *     localhost})
 * @param trustStore PKCS12 trust store with the certificates the broker, as a client of its own
 *     listener, and the super user's clients trust
 * @param storePassword password of both stores and of the key
 * @param superUser name of the super user; its SCRAM credential is written when the log directory
 *     is formatted
 * @param superUserPassword the super user's password
 */
public record BrokerSecurity(
    Path keyStore,
    Path trustStore,
    String storePassword,
    String superUser,
    String superUserPassword) {

  /** SASL mechanism of the client listener. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  private static final String CONTROLLER = "CONTROLLER";
  private static final String CLIENTS = "SASL_SSL";

  /** Refuses blank names and passwords, which Kafka would only reject at start-up. */
  public BrokerSecurity {
    for (String value : new String[] {storePassword, superUser, superUserPassword}) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("broker security needs a user and passwords");
      }
    }
  }

  /** Broker properties for a client listener on {@code clientPort}, controller on another. */
  Map<String, String> brokerProperties(int clientPort, int controllerPort) {
    String scram = jaas("org.apache.kafka.common.security.scram.ScramLoginModule", "");
    String plain =
        jaas(
            "org.apache.kafka.common.security.plain.PlainLoginModule",
            " user_" + superUser + "=\"" + superUserPassword + "\"");
    return Map.ofEntries(
        Map.entry(
            "listeners",
            CLIENTS
                + "://localhost:"
                + clientPort
                + ","
                + CONTROLLER
                + "://localhost:"
                + controllerPort),
        Map.entry("advertised.listeners", CLIENTS + "://localhost:" + clientPort),
        Map.entry(
            "listener.security.protocol.map",
            CLIENTS + ":SASL_SSL," + CONTROLLER + ":SASL_PLAINTEXT"),
        Map.entry("inter.broker.listener.name", CLIENTS),
        Map.entry("sasl.mechanism.inter.broker.protocol", MECHANISM),
        Map.entry("listener.name.sasl_ssl.sasl.enabled.mechanisms", MECHANISM),
        Map.entry("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", scram),
        Map.entry("sasl.mechanism.controller.protocol", "PLAIN"),
        Map.entry("listener.name.controller.sasl.enabled.mechanisms", "PLAIN"),
        Map.entry("listener.name.controller.plain.sasl.jaas.config", plain),
        Map.entry("ssl.keystore.type", "PKCS12"),
        Map.entry("ssl.keystore.location", keyStore.toString()),
        Map.entry("ssl.keystore.password", storePassword),
        Map.entry("ssl.key.password", storePassword),
        Map.entry("ssl.truststore.type", "PKCS12"),
        Map.entry("ssl.truststore.location", trustStore.toString()),
        Map.entry("ssl.truststore.password", storePassword),
        Map.entry(
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
        Map.entry("super.users", "User:" + superUser),
        Map.entry("allow.everyone.if.no.acl.found", "false"));
  }

  /** Client settings of the super user. */
  public Map<String, String> superUserSettings() {
    return clientSettings(superUser, superUserPassword, trustStore, storePassword);
  }

  /** The {@code kafka-storage format --add-scram} argument for the super user. */
  String scramArgument() {
    return MECHANISM + "=[name=" + superUser + ",password=" + superUserPassword + "]";
  }

  /**
   * Client settings for {@code user} over SASL_SSL/SCRAM-SHA-512, trusting certificates in the
   * PKCS12 {@code trustStore}.
   */
  public static Map<String, String> clientSettings(
      String user, String password, Path trustStore, String trustStorePassword) {
    return Map.of(
        "security.protocol",
        "SASL_SSL",
        "sasl.mechanism",
        MECHANISM,
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";",
        "ssl.truststore.type",
        "PKCS12",
        "ssl.truststore.location",
        trustStore.toString(),
        "ssl.truststore.password",
        trustStorePassword);
  }

  private String jaas(String module, String extra) {
    return module
        + " required username=\""
        + superUser
        + "\" password=\""
        + superUserPassword
        + "\""
        + extra
        + ";";
  }

  @Override
  public String toString() {
    return "SASL_SSL/" + MECHANISM + ", super user " + superUser + ", key store " + keyStore;
  }
}
