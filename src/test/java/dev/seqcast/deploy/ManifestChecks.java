package dev.seqcast.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.seqcast.cli.EnvironmentDefaults;
import dev.seqcast.cli.Main;
import dev.seqcast.streams.MetricsServer;
import dev.seqcast.streams.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The checks the deployment files must pass, each returning what is wrong (empty = fine), so the
 * same check proves the real files right and a deliberately broken copy wrong.
 */
final class ManifestChecks {

  /** Repository of the seqcast image (any registry in front of it). */
  static final String SEQCAST_IMAGE = "seqcast/seqcast";

  /** Kubernetes version of the vendored schemas. */
  static final String KUBERNETES_SCHEMAS = "/schemas/kubernetes-v1.30.0-standalone-strict/";

  /** Schema file for each apiVersion/kind the manifests may use; anything else is refused. */
  private static final Map<String, String> KUBERNETES_SCHEMA_FILES =
      Map.of(
          "v1/ConfigMap", "configmap-v1.json",
          "v1/Namespace", "namespace-v1.json",
          "v1/Service", "service-v1.json",
          "apps/v1/StatefulSet", "statefulset-apps-v1.json",
          "policy/v1/PodDisruptionBudget", "poddisruptionbudget-policy-v1.json",
          "batch/v1/Job", "job-batch-v1.json",
          "batch/v1/CronJob", "cronjob-batch-v1.json",
          "monitoring.coreos.com/v1/ServiceMonitor", "servicemonitor-monitoring-v1.json");

  /** Stand-in for a shell command substitution such as {@code $(date -u +%Y%m%d%H)}. */
  static final String SUBSTITUTED = "2026010100";

  /** Stand-in for a value the manifests take from a Secret or an unknown source. */
  static final String FROM_ELSEWHERE = "value-from-elsewhere";

  private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestChecks() {}

  /**
   * A container that runs the seqcast image.
   *
   * @param where where it is declared, for messages
   * @param image its image reference
   * @param args the seqcast command line it runs (after the image's {@code seqcast} launcher)
   * @param environment its environment, values from Secrets replaced by {@link #FROM_ELSEWHERE}
   */
  record SeqcastContainer(
      String where, String image, List<String> args, Map<String, String> environment) {}

  // ---------------------------------------------------------------------------------- schemas

  /** {@code compose} against the Compose Specification schema. */
  static List<String> composeSchema(JsonNode compose) {
    return validate(compose, "/schemas/compose/compose-spec.json", "compose file");
  }

  /** Every object against the Kubernetes (or Prometheus operator) schema of its kind. */
  static List<String> kubernetesSchemas(List<JsonNode> objects) {
    List<String> problems = new ArrayList<>();
    for (JsonNode object : objects) {
      String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
      String where = type + " " + object.path("metadata").path("name").asText();
      String file = KUBERNETES_SCHEMA_FILES.get(type);
      if (file == null) {
        problems.add(
            where
                + ": no schema vendored for "
                + type
                + " (add it under "
                + KUBERNETES_SCHEMAS
                + ")");
        continue;
      }
      problems.addAll(validate(object, KUBERNETES_SCHEMAS + file, where));
    }
    return problems;
  }

  private static List<String> validate(JsonNode document, String schemaResource, String where) {
    JsonSchema schema = SCHEMAS.computeIfAbsent(schemaResource, ManifestChecks::loadSchema);
    List<String> problems = new ArrayList<>();
    for (ValidationMessage message : schema.validate(document)) {
      problems.add(where + ": " + message.getMessage());
    }
    return problems;
  }

  private static JsonSchema loadSchema(String resource) {
    try (InputStream in = ManifestChecks.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "schema " + resource + " is missing from the test resources");
      }
      ObjectNode schema = (ObjectNode) JSON.readTree(in);
      // The Kubernetes schemas name the unversioned meta-schema "http://json-schema.org/schema#",
      // which no validator knows offline; they are draft 4 (as openapi2jsonschema writes them).
      // The compose schema's relative $id needs an absolute base, given by its location.
      boolean draft4 = "http://json-schema.org/schema#".equals(schema.path("$schema").asText());
      if (draft4) {
        schema.remove("$schema");
      }
      JsonSchemaFactory factory =
          JsonSchemaFactory.getInstance(
              draft4 ? SpecVersion.VersionFlag.V4 : SpecVersion.VersionFlag.V7);
      return factory.getSchema(SchemaLocation.of("classpath:" + resource), schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------------------- containers

  /** The services of {@code compose} that run the seqcast image. */
  static List<SeqcastContainer> composeContainers(JsonNode compose) {
    List<SeqcastContainer> containers = new ArrayList<>();
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            service -> {
              JsonNode spec = service.getValue();
              String image = spec.path("image").asText();
              if (!isSeqcastImage(image)) {
                return;
              }
              String where = "compose service " + service.getKey();
              List<String> args =
                  spec.has("command") ? words(spec.get("command"), where) : List.of("serve");
              Map<String, String> environment = new LinkedHashMap<>();
              JsonNode env = spec.path("environment");
              if (env.isObject()) {
                env.fields()
                    .forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
              } else if (env.isArray()) {
                env.forEach(
                    e -> {
                      String[] pair = e.asText().split("=", 2);
                      environment.put(pair[0], pair.length > 1 ? pair[1] : "");
                    });
              }
              containers.add(new SeqcastContainer(where, image, args, environment));
            });
    return containers;
  }

  /** The containers of the rendered Kubernetes {@code objects} that run the seqcast image. */
  static List<SeqcastContainer> kubernetesContainers(List<JsonNode> objects) {
    Map<String, JsonNode> configMaps = new HashMap<>();
    for (JsonNode object : objects) {
      if (object.path("kind").asText().equals("ConfigMap")) {
        configMaps.put(object.path("metadata").path("name").asText(), object.path("data"));
      }
    }
    List<SeqcastContainer> containers = new ArrayList<>();
    for (JsonNode object : objects) {
      JsonNode podSpec = podSpec(object);
      if (podSpec == null) {
        continue;
      }
      for (JsonNode container : podSpec.path("containers")) {
        String image = container.path("image").asText();
        if (!isSeqcastImage(image)) {
          continue;
        }
        String where =
            object.path("kind").asText()
                + " "
                + object.path("metadata").path("name").asText()
                + " container "
                + container.path("name").asText();
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode source : container.path("envFrom")) {
          String name = source.path("configMapRef").path("name").asText(null);
          JsonNode data = name == null ? null : configMaps.get(name);
          if (data == null) {
            environment.put("(envFrom " + source + ")", FROM_ELSEWHERE);
          } else {
            data.fields().forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
          }
        }
        for (JsonNode variable : container.path("env")) {
          JsonNode ref = variable.path("valueFrom").path("configMapKeyRef");
          String value;
          if (variable.has("value")) {
            value = variable.get("value").asText();
          } else if (!ref.isMissingNode() && configMaps.containsKey(ref.path("name").asText())) {
            value =
                configMaps.get(ref.path("name").asText()).path(ref.path("key").asText()).asText();
          } else {
            value = FROM_ELSEWHERE;
          }
          environment.put(variable.path("name").asText(), value);
        }
        containers.add(
            new SeqcastContainer(where, image, seqcastArgs(container, where), environment));
      }
    }
    return containers;
  }

  /** The pod spec of a workload object, or null for objects that run no pods. */
  static JsonNode podSpec(JsonNode object) {
    return switch (object.path("kind").asText()) {
      case "StatefulSet", "Deployment", "Job", "DaemonSet" ->
          object.path("spec").path("template").path("spec");
      case "CronJob" ->
          object.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
      default -> null;
    };
  }

  private static List<String> seqcastArgs(JsonNode container, String where) {
    List<String> command =
        container.has("command") ? words(container.get("command"), where) : List.of();
    List<String> args = container.has("args") ? words(container.get("args"), where) : List.of();
    if (command.isEmpty()) {
      return args.isEmpty() ? List.of("serve") : args;
    }
    if (command.size() == 2 && command.get(1).equals("-c") && args.size() == 1) {
      return fromShell(args.get(0), where);
    }
    if (command.size() == 3 && command.get(1).equals("-c")) {
      return fromShell(command.get(2), where);
    }
    throw new AssertionError(
        where + ": command " + command + " is neither the image's entrypoint nor 'sh -c'");
  }

  private static List<String> words(JsonNode node, String where) {
    if (node.isTextual()) {
      return shellWords(node.asText(), where);
    }
    List<String> words = new ArrayList<>();
    node.forEach(word -> words.add(word.asText()));
    return words;
  }

  /** The seqcast command line of a {@code sh -c} script: what follows {@code exec seqcast}. */
  static List<String> fromShell(String script, String where) {
    int start = script.indexOf("exec seqcast ");
    if (start < 0) {
      throw new AssertionError(where + ": the shell script runs no 'exec seqcast …': " + script);
    }
    return shellWords(script.substring(start + "exec seqcast ".length()).strip(), where);
  }

  /**
   * Splits a one-line shell command into words: quotes group, {@code $(…)} substitutions become
   * {@link #SUBSTITUTED}. Anything more (pipes, ;, &amp;&amp;) is refused, so a script the test
   * cannot read fails instead of passing unread.
   */
  static List<String> shellWords(String line, String where) {
    String text = line.replaceAll("\\$\\([^)]*\\)", SUBSTITUTED);
    if (text.matches(".*[;|&<>`].*")) {
      throw new AssertionError(where + ": too much shell to check: " + line);
    }
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char c : text.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new AssertionError(where + ": unbalanced quote in " + line);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  static boolean isSeqcastImage(String image) {
    String repository = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
    return repository.equals(SEQCAST_IMAGE) || repository.endsWith("/" + SEQCAST_IMAGE);
  }

  // ------------------------------------------------------------------------ CLI and variables

  /** The command spec {@code args} selects ({@code serve}, {@code model publish} …), or null. */
  static CommandSpec commandOf(List<String> args) {
    CommandLine current = Main.commandLine(Map.of());
    for (String arg : args) {
      CommandLine next = current.getSubcommands().get(arg);
      if (next == null) {
        break;
      }
      current = next;
    }
    return current.getCommandSpec().parent() == null ? null : current.getCommandSpec();
  }

  /** Each container's command line parses with the real CLI, its environment included. */
  static List<String> commandLines(List<SeqcastContainer> containers) {
    List<String> problems = new ArrayList<>();
    for (SeqcastContainer container : containers) {
      if (commandOf(container.args()) == null) {
        problems.add(container.where() + ": " + container.args() + " names no seqcast command");
        continue;
      }
      try {
        Main.commandLine(container.environment())
            .parseArgs(container.args().toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        problems.add(
            container.where()
                + ": seqcast "
                + String.join(" ", container.args())
                + " with its"
                + " environment does not parse: "
                + e.getMessage());
      }
    }
    return problems;
  }

  /**
   * Every {@code SEQCAST_*} variable a container sets is read by the command it runs; every {@code
   * SEQCAST_KAFKA_*} setting names a real Kafka client setting, for a command that talks to Kafka.
   */
  static List<String> environment(List<SeqcastContainer> containers) {
    List<String> problems = new ArrayList<>();
    for (SeqcastContainer container : containers) {
      CommandSpec command = commandOf(container.args());
      if (command == null) {
        problems.add(container.where() + ": " + container.args() + " names no seqcast command");
        continue;
      }
      Set<String> recognised = new TreeSet<>(EnvironmentDefaults.variables(command, false));
      for (String variable : container.environment().keySet()) {
        problems.addAll(recognition(container.where(), command, recognised, variable));
      }
    }
    return problems;
  }

  /** Every {@code SEQCAST_*} variable set in the image is read by at least one command. */
  static List<String> imageEnvironment(Map<String, String> environment) {
    CommandSpec root = Main.commandLine(Map.of()).getCommandSpec();
    Set<String> recognised = new TreeSet<>(EnvironmentDefaults.variables(root, true));
    List<String> problems = new ArrayList<>();
    for (String variable : environment.keySet()) {
      problems.addAll(recognition("Dockerfile ENV", root, recognised, variable));
    }
    return problems;
  }

  private static List<String> recognition(
      String where, CommandSpec command, Set<String> recognised, String variable) {
    String kafkaPrefix = EnvironmentDefaults.PREFIX + "KAFKA_";
    if (!variable.startsWith(EnvironmentDefaults.PREFIX)) {
      return variable.startsWith("(envFrom")
          ? List.of(where + ": environment from an unknown source " + variable)
          : List.of();
    }
    if (recognised.contains(variable)) {
      return List.of();
    }
    if (variable.startsWith(kafkaPrefix)) {
      if (!recognised.contains(kafkaPrefix + "CONFIG")) {
        return List.of(
            where
                + ": "
                + variable
                + " is a Kafka setting, but '"
                + command.qualifiedName()
                + "' makes no Kafka client");
      }
      return kafkaSettingVariables().containsKey(variable)
          ? List.of()
          : List.of(where + ": " + variable + " names no Kafka client setting");
    }
    return List.of(
        where
            + ": '"
            + command.qualifiedName()
            + "' reads no "
            + variable
            + " (it reads "
            + recognised
            + ")");
  }

  /** Variable of every producer, consumer, admin and Streams setting, to the setting's name. */
  static Map<String, String> kafkaSettingVariables() {
    Map<String, String> byVariable = new HashMap<>();
    Stream.of(
            ProducerConfig.configNames(),
            ConsumerConfig.configNames(),
            AdminClientConfig.configNames(),
            StreamsConfig.configDef().names())
        .flatMap(Set::stream)
        .forEach(
            setting ->
                byVariable.put(
                    EnvironmentDefaults.PREFIX
                        + "KAFKA_"
                        + setting.toUpperCase(Locale.ROOT).replace('.', '_'),
                    setting));
    return byVariable;
  }

  // ----------------------------------------------------------------------------------- images

  /**
   * Every seqcast container runs {@code version} of the image, every Kafka container the
   * apache/kafka image of {@code kafkaVersion} (the clients' version in the pom).
   */
  static List<String> imageTags(
      Map<String, String> imagesByWhere, String version, String kafkaVersion) {
    List<String> problems = new ArrayList<>();
    imagesByWhere.forEach(
        (where, image) -> {
          String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
          if (isSeqcastImage(image) && !tag.equals(version)) {
            problems.add(where + ": image " + image + " is not tagged " + version + " (the pom's)");
          }
          if (image.startsWith("apache/kafka") && !tag.equals(kafkaVersion)) {
            problems.add(
                where + ": image " + image + " is not Kafka " + kafkaVersion + " (the clients')");
          }
          if (tag.isEmpty() || tag.equals("latest")) {
            problems.add(where + ": image " + image + " has no fixed tag");
          }
        });
    return problems;
  }

  /** Every image of {@code compose} by service. */
  static Map<String, String> composeImages(JsonNode compose) {
    Map<String, String> images = new LinkedHashMap<>();
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            s -> images.put("compose service " + s.getKey(), s.getValue().path("image").asText()));
    return images;
  }

  /** Every container image of rendered {@code objects}. */
  static Map<String, String> kubernetesImages(List<JsonNode> objects) {
    Map<String, String> images = new LinkedHashMap<>();
    for (JsonNode object : objects) {
      JsonNode podSpec = podSpec(object);
      if (podSpec != null) {
        for (String list : List.of("initContainers", "containers")) {
          for (JsonNode container : podSpec.path(list)) {
            images.put(
                object.path("kind").asText()
                    + " "
                    + object.path("metadata").path("name").asText()
                    + " container "
                    + container.path("name").asText(),
                container.path("image").asText());
          }
        }
      }
    }
    return images;
  }

  // ------------------------------------------------------------------------------- Dockerfile

  /** One Dockerfile instruction, continuation lines joined. */
  record Instruction(String keyword, String argument) {}

  /** The instructions of a Dockerfile, comments and blank lines left out. */
  static List<Instruction> dockerfile(String text) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (current.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      String joined = current.toString().strip();
      current.setLength(0);
      int space = joined.indexOf(' ');
      instructions.add(
          new Instruction(
              joined.substring(0, space < 0 ? joined.length() : space).toUpperCase(Locale.ROOT),
              space < 0 ? "" : joined.substring(space + 1).strip()));
    }
    return instructions;
  }

  /** Variables the final stage of the Dockerfile sets with ENV. */
  static Map<String, String> dockerEnvironment(List<Instruction> instructions) {
    Map<String, String> environment = new LinkedHashMap<>();
    Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");
    for (Instruction instruction : finalStage(instructions)) {
      if (instruction.keyword().equals("ENV")) {
        Matcher m = pair.matcher(instruction.argument());
        while (m.find()) {
          environment.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
        }
      }
    }
    return environment;
  }

  private static List<Instruction> finalStage(List<Instruction> instructions) {
    int last = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).keyword().equals("FROM")) {
        last = i;
      }
    }
    return instructions.subList(last, instructions.size());
  }

  /**
   * The image is built in stages from the Maven build's real output, runs on a Java 17 JRE as a
   * non-root user, keeps state on a volume and checks {@code /health/ready} on the metrics port.
   */
  static List<String> dockerfileProperties(
      List<Instruction> instructions, String launcher, int metricsPort) {
    List<String> problems = new ArrayList<>();
    List<Instruction> froms =
        instructions.stream().filter(i -> i.keyword().equals("FROM")).toList();
    if (froms.size() < 2) {
      problems.add("Dockerfile is not a multi-stage build (" + froms.size() + " FROM)");
    }
    if (froms.isEmpty()) {
      return problems;
    }
    String buildStage =
        froms.size() > 1 && froms.get(0).argument().matches("(?i)\\S+\\s+AS\\s+\\S+")
            ? froms.get(0).argument().split("(?i)\\s+AS\\s+")[1].strip()
            : null;
    if (buildStage == null) {
      problems.add("Dockerfile's first stage has no name (FROM … AS build)");
    }
    String base = froms.get(froms.size() - 1).argument().split("\\s+")[0];
    if (!base.matches("eclipse-temurin:17-jre(-[a-z0-9.]+)?")) {
      problems.add(
          "Dockerfile's runtime base " + base + " is not a Java 17 JRE (eclipse-temurin:17-jre)");
    }
    List<Instruction> runtime = finalStage(instructions);
    Map<String, String> env = dockerEnvironment(instructions);
    List<Instruction> users = runtime.stream().filter(i -> i.keyword().equals("USER")).toList();
    if (users.isEmpty()) {
      problems.add("Dockerfile's runtime stage sets no USER: the container would run as root");
    } else {
      String user = users.get(users.size() - 1).argument().split(":")[0];
      if (user.equals("root") || user.equals("0")) {
        problems.add("Dockerfile's USER is root");
      }
    }
    String stateDir = env.get("SEQCAST_STATE_DIR");
    List<String> volumes =
        runtime.stream()
            .filter(i -> i.keyword().equals("VOLUME"))
            .map(Instruction::argument)
            .toList();
    if (stateDir == null
        || volumes.stream()
            .noneMatch(v -> v.contains("\"" + stateDir + "\"") || v.equals(stateDir))) {
      problems.add("Dockerfile declares no VOLUME for SEQCAST_STATE_DIR (" + stateDir + ")");
    }
    List<String> checks =
        runtime.stream()
            .filter(i -> i.keyword().equals("HEALTHCHECK"))
            .map(Instruction::argument)
            .toList();
    if (checks.size() != 1 || !checks.get(0).contains("/health/ready")) {
      problems.add("Dockerfile has no HEALTHCHECK on /health/ready: " + checks);
    } else {
      String check = checks.get(0);
      boolean onMetricsPort =
          check.contains(":" + metricsPort + "/")
              || (check.contains("${SEQCAST_METRICS_PORT}")
                  && String.valueOf(metricsPort).equals(env.get("SEQCAST_METRICS_PORT")));
      if (!onMetricsPort) {
        problems.add("Dockerfile's HEALTHCHECK does not ask the metrics port " + metricsPort);
      }
    }
    String copies =
        runtime.stream()
            .filter(
                i ->
                    i.keyword().equals("COPY")
                        && buildStage != null
                        && i.argument().startsWith("--from=" + buildStage + " "))
            .map(Instruction::argument)
            .reduce("", (a, b) -> a + "\n" + b);
    Matcher jar = Pattern.compile("target/seqcast\\.jar\\s+(\\S+)/seqcast\\.jar").matcher(copies);
    if (!jar.find()) {
      problems.add("Dockerfile copies no target/seqcast.jar from the build stage");
    } else if (!copies.contains("target/lib/ " + jar.group(1) + "/lib/")) {
      problems.add(
          "Dockerfile does not copy target/lib/ next to the jar ("
              + jar.group(1)
              + "/lib/), where"
              + " the jar's Class-Path looks");
    } else if (!launcher.contains("-jar " + jar.group(1) + "/seqcast.jar")) {
      problems.add("the image's launcher does not run " + jar.group(1) + "/seqcast.jar");
    }
    return problems;
  }

  // ------------------------------------------------------------------------------ topics script

  /**
   * The {@code create "${VARIABLE:-TOPIC}" PARTITIONS [--config k=v …]} lines of the topics script
   * declare exactly {@link Topics#definitions}: the data topics with the script's partition count,
   * the others with their fixed count and settings, each name read from the variable seqcast reads
   * it from (that of its {@code --*-topic} option) with the default name as fallback.
   */
  static List<String> topicsScript(String script) {
    Pattern line =
        Pattern.compile(
            "^create\\s+(?:\"\\$\\{(\\w+):-([^}\\s]+)\\}\"|(\\S+))\\s+(\\S+)"
                + "((?:\\s+--config\\s+\\S+=\\S+)*)\\s*$",
            Pattern.MULTILINE);
    Map<String, String[]> declared = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    Matcher m = line.matcher(script);
    while (m.find()) {
      if (m.group(3) != null) {
        problems.add(
            "topics script creates "
                + m.group(3)
                + " under a fixed name; write \"${SEQCAST_…_TOPIC:-"
                + m.group(3)
                + "}\" so it can be renamed as seqcast's own topics can");
        continue;
      }
      declared.put(m.group(2), new String[] {m.group(4), m.group(5), m.group(1)});
    }
    Map<String, String> variableByDefault = topicVariables();
    int variable = 7919; // a count no topic has, standing for "$PARTITIONS"
    for (NewTopic topic : Topics.definitions(variable, (short) 1)) {
      String[] found = declared.remove(topic.name());
      if (found == null) {
        problems.add("topics script does not create " + topic.name());
        continue;
      }
      String expectedVariable = variableByDefault.get(topic.name());
      if (!found[2].equals(expectedVariable)) {
        problems.add(
            "topics script reads the name of "
                + topic.name()
                + " from "
                + found[2]
                + ", but seqcast reads it from "
                + expectedVariable);
      }
      String expectedPartitions =
          topic.numPartitions() == variable
              ? "\"$PARTITIONS\""
              : Integer.toString(topic.numPartitions());
      if (!found[0].equals(expectedPartitions)) {
        problems.add(
            "topics script creates "
                + topic.name()
                + " with "
                + found[0]
                + " partitions, not "
                + expectedPartitions);
      }
      Map<String, String> configs = new HashMap<>();
      Matcher c = Pattern.compile("--config\\s+(\\S+)=(\\S+)").matcher(found[1]);
      while (c.find()) {
        configs.put(c.group(1), c.group(2));
      }
      Map<String, String> expected = topic.configs() == null ? Map.of() : topic.configs();
      if (!configs.equals(expected)) {
        problems.add(
            "topics script gives " + topic.name() + " settings " + configs + ", not " + expected);
      }
    }
    declared.keySet().forEach(name -> problems.add("topics script creates unknown topic " + name));
    return problems;
  }

  /** The variable of each {@code --*-topic} option of {@code serve}, by the option's default. */
  static Map<String, String> topicVariables() {
    Map<String, String> byDefault = new HashMap<>();
    CommandSpec serve = Main.commandLine(Map.of()).getSubcommands().get("serve").getCommandSpec();
    for (CommandLine.Model.OptionSpec option : serve.options()) {
      if (option.longestName().endsWith("-topic")) {
        byDefault.put(option.defaultValue(), EnvironmentDefaults.variable(option));
      }
    }
    return byDefault;
  }

  // --------------------------------------------------------------------------- predictor pods

  /**
   * Each StatefulSet running {@code seqcast serve} probes readiness on {@code /health/ready} and
   * liveness on {@code /health/live} at the port it serves metrics on, keeps its state directory on
   * a volume claim, runs standby replicas, requests resources, and has a disruption budget.
   */
  static List<String> predictorWiring(List<JsonNode> objects) {
    List<String> problems = new ArrayList<>();
    List<JsonNode> budgets =
        objects.stream()
            .filter(o -> o.path("kind").asText().equals("PodDisruptionBudget"))
            .toList();
    Map<String, SeqcastContainer> byWhere = new HashMap<>();
    kubernetesContainers(objects).forEach(c -> byWhere.put(c.where(), c));
    int predictors = 0;
    for (JsonNode object : objects) {
      if (!object.path("kind").asText().equals("StatefulSet")) {
        continue;
      }
      String name = object.path("metadata").path("name").asText();
      JsonNode pod = object.path("spec").path("template");
      for (JsonNode container : pod.path("spec").path("containers")) {
        String where = "StatefulSet " + name + " container " + container.path("name").asText();
        SeqcastContainer seqcast = byWhere.get(where);
        if (seqcast == null || seqcast.args().isEmpty() || !seqcast.args().get(0).equals("serve")) {
          continue;
        }
        predictors++;
        Map<String, String> env = seqcast.environment();
        String port = env.getOrDefault("SEQCAST_METRICS_PORT", "" + MetricsServer.DEFAULT_PORT);
        problems.addAll(probe(where, container, "readinessProbe", "/health/ready", port));
        problems.addAll(probe(where, container, "livenessProbe", "/health/live", port));
        String standby = env.get("SEQCAST_KAFKA_NUM_STANDBY_REPLICAS");
        if (standby == null || !standby.matches("[1-9][0-9]*")) {
          problems.add(where + ": no standby replicas (SEQCAST_KAFKA_NUM_STANDBY_REPLICAS)");
        }
        String stateDir = env.get("SEQCAST_STATE_DIR");
        Set<String> claims = new TreeSet<>();
        object
            .path("spec")
            .path("volumeClaimTemplates")
            .forEach(t -> claims.add(t.path("metadata").path("name").asText()));
        boolean stateOnClaim = false;
        for (JsonNode mount : container.path("volumeMounts")) {
          stateOnClaim |=
              mount.path("mountPath").asText().equals(stateDir)
                  && claims.contains(mount.path("name").asText());
        }
        if (!stateOnClaim) {
          problems.add(where + ": SEQCAST_STATE_DIR " + stateDir + " is not on a volume claim");
        }
        JsonNode requests = container.path("resources").path("requests");
        if (!requests.has("cpu") || !requests.has("memory")) {
          problems.add(where + ": no cpu and memory requests");
        }
      }
      JsonNode labels = pod.path("metadata").path("labels");
      boolean budgeted = false;
      for (JsonNode budget : budgets) {
        JsonNode match = budget.path("spec").path("selector").path("matchLabels");
        boolean selects = match.size() > 0;
        for (var it = match.fields(); it.hasNext(); ) {
          var label = it.next();
          selects &= label.getValue().asText().equals(labels.path(label.getKey()).asText(null));
        }
        budgeted |= selects;
      }
      if (!budgeted) {
        problems.add("StatefulSet " + name + ": no PodDisruptionBudget selects its pods");
      }
    }
    if (predictors == 0) {
      problems.add("no StatefulSet runs 'seqcast serve'");
    }
    return problems;
  }

  private static List<String> probe(
      String where, JsonNode container, String kind, String path, String metricsPort) {
    JsonNode get = container.path(kind).path("httpGet");
    if (!get.path("path").asText().equals(path)) {
      return List.of(where + ": " + kind + " does not ask " + path);
    }
    String port = get.path("port").asText();
    for (JsonNode declared : container.path("ports")) {
      if (declared.path("name").asText().equals(port)) {
        port = declared.path("containerPort").asText();
      }
    }
    return port.equals(metricsPort)
        ? List.of()
        : List.of(where + ": " + kind + " asks port " + port + ", metrics are on " + metricsPort);
  }

  // ------------------------------------------------------------------------------- kustomize

  /** Files a kustomization names (resources, patches, generator files) exist. */
  static List<String> kustomizationFiles(Path kustomization) {
    JsonNode k = Manifests.yamlFile(kustomization);
    Path dir = kustomization.getParent();
    List<String> problems = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    k.path("resources").forEach(r -> paths.add(r.asText()));
    k.path("patches")
        .forEach(
            p -> {
              if (p.has("path")) {
                paths.add(p.get("path").asText());
              }
            });
    k.path("configMapGenerator")
        .forEach(
            g -> g.path("files").forEach(f -> paths.add(f.asText().replaceFirst("^[^=]+=", ""))));
    for (String path : paths) {
      Path target = dir.resolve(path).normalize();
      boolean exists =
          Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml"));
      if (!exists) {
        problems.add(kustomization + " names " + path + ", which does not exist");
      }
    }
    return problems;
  }
}
