package dev.seqcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqcast.deploy.ManifestChecks.Instruction;
import dev.seqcast.deploy.ManifestChecks.SeqcastContainer;
import dev.seqcast.streams.MetricsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment files under {@code deploy/} are valid and agree with the code, without Docker or a
 * cluster: the compose file against the Compose Specification schema, the Kubernetes objects (as
 * {@code kubectl kustomize} renders the base and the example overlay) against the Kubernetes 1.30
 * schemas, every command line through the real CLI parser, every {@code SEQCAST_*} variable against
 * the options of the command that reads it, image tags against the pom, the Dockerfile against what
 * the build produces, the topics script against {@code Topics}. Each check is also shown to fail on
 * a deliberately broken copy, so none of them passes vacuously.
 */
class DeploymentManifestsTest {

  private static JsonNode compose;
  private static List<JsonNode> base;
  private static List<JsonNode> overlay;
  private static List<Instruction> dockerfile;
  private static String pom;

  @BeforeAll
  static void load() {
    Path deploy = Manifests.deployDir();
    compose = Manifests.yamlFile(deploy.resolve("compose.yaml"));
    base = Manifests.kustomize(deploy.resolve("k8s/base"));
    overlay = Manifests.kustomize(deploy.resolve("k8s/overlays/example"));
    dockerfile = ManifestChecks.dockerfile(Manifests.read(deploy.resolve("docker/Dockerfile")));
    pom = Manifests.read(Manifests.projectDir().resolve("pom.xml"));
  }

  // ------------------------------------------------------------------------- the real files

  @Test
  void composeFileFollowsTheComposeSpecification() {
    assertNoProblems(ManifestChecks.composeSchema(compose));
  }

  @Test
  void composeRunsEveryPartOfTheStack() {
    JsonNode services = compose.path("services");
    for (String service :
        List.of(
            "kafka",
            "topics",
            "trainer",
            "predictor",
            "replay",
            "speech-model",
            "tagger",
            "microphone",
            "prometheus",
            "grafana")) {
      assertTrue(services.has(service), "compose.yaml has no service " + service);
    }
    assertEquals(2, services.path("predictor").path("deploy").path("replicas").asInt());
    assertFalse(services.path("predictor").path("healthcheck").path("disable").asBoolean());
    assertTrue(
        services
            .path("kafka")
            .path("environment")
            .path("KAFKA_PROCESS_ROLES")
            .asText()
            .contains("controller"),
        "the compose broker runs in KRaft mode (broker and controller)");
    assertTrue(
        containerArgs(ManifestChecks.composeContainers(compose), "compose service trainer")
            .contains("--publish"),
        "the compose trainer publishes its model");
  }

  @Test
  void kubernetesObjectsFollowTheirSchemas() {
    assertNoProblems(ManifestChecks.kubernetesSchemas(base));
    assertNoProblems(ManifestChecks.kubernetesSchemas(overlay));
  }

  @Test
  void kustomizationsNameOnlyExistingFiles() throws Exception {
    List<Path> kustomizations;
    try (Stream<Path> files = Files.walk(Manifests.deployDir().resolve("k8s"))) {
      kustomizations =
          files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList();
    }
    assertEquals(2, kustomizations.size(), "base and the example overlay: " + kustomizations);
    for (Path kustomization : kustomizations) {
      assertNoProblems(ManifestChecks.kustomizationFiles(kustomization));
    }
  }

  @Test
  void overlayPatchesReachTheRenderedObjects() {
    JsonNode predictor = object(overlay, "StatefulSet", "seqcast-predictor");
    assertEquals("seqcast", predictor.path("metadata").path("namespace").asText());
    assertEquals(4, predictor.path("spec").path("replicas").asInt());
    SeqcastContainer container =
        ManifestChecks.kubernetesContainers(overlay).stream()
            .filter(c -> c.where().startsWith("StatefulSet"))
            .findFirst()
            .orElseThrow();
    assertEquals("SASL_SSL", container.environment().get("SEQCAST_KAFKA_SECURITY_PROTOCOL"));
    assertEquals("seqcast-predictor", container.environment().get("SEQCAST_APPLICATION_ID"));
    assertTrue(container.image().startsWith("registry.example.com/"), container.image());
    assertTrue(overlay.stream().anyMatch(o -> o.path("kind").asText().equals("ServiceMonitor")));
  }

  @Test
  void predictorPodsAreProbedBudgetedAndKeepTheirState() {
    assertNoProblems(ManifestChecks.predictorWiring(base));
    assertNoProblems(ManifestChecks.predictorWiring(overlay));
    // predictorWiring holds every `serve` StatefulSet to the same rules: the tagger is one.
    assertEquals(
        List.of("serve", "--speech"),
        ManifestChecks.kubernetesContainers(base).stream()
            .filter(c -> c.where().startsWith("StatefulSet seqcast-tagger"))
            .findFirst()
            .orElseThrow()
            .args());
    assertEquals(
        "batch/v1", object(base, "CronJob", "seqcast-trainer").path("apiVersion").asText());
  }

  @Test
  void everyCommandLineParsesWithTheRealCli() {
    assertNoProblems(ManifestChecks.commandLines(allContainers()));
  }

  @Test
  void everySeqcastVariableIsReadByTheCommandItsContainerRuns() {
    assertNoProblems(ManifestChecks.environment(allContainers()));
    assertNoProblems(ManifestChecks.imageEnvironment(ManifestChecks.dockerEnvironment(dockerfile)));
  }

  @Test
  void imagesCarryThePomsVersions() {
    Map<String, String> images = new LinkedHashMap<>(ManifestChecks.composeImages(compose));
    images.putAll(ManifestChecks.kubernetesImages(base));
    images.putAll(ManifestChecks.kubernetesImages(overlay));
    assertNoProblems(ManifestChecks.imageTags(images, projectVersion(), kafkaVersion()));
    String label =
        dockerfile.stream()
            .filter(i -> i.keyword().equals("LABEL"))
            .map(Instruction::argument)
            .reduce("", String::concat);
    assertTrue(
        label.contains("org.opencontainers.image.version=\"" + projectVersion() + "\""),
        "Dockerfile labels the image with the pom's version: " + label);
  }

  @Test
  void dockerfileBuildsWhatThePomProducesAndRunsItSafely() {
    assertNoProblems(
        ManifestChecks.dockerfileProperties(dockerfile, launcher(), MetricsServer.DEFAULT_PORT));
    // The paths the Dockerfile copies are the pom's: finalName seqcast, dependencies in lib/.
    assertTrue(pom.contains("<finalName>seqcast</finalName>"));
    assertTrue(pom.contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>"));
    assertTrue(pom.contains("<classpathPrefix>lib/</classpathPrefix>"));
  }

  @Test
  void topicsScriptCreatesExactlyTheTopicsTheCodeDoes() {
    assertNoProblems(ManifestChecks.topicsScript(topicsScript()));
  }

  // --------------------------------------------------------------- deliberately broken copies

  @Test
  void aBrokenComposeFileFailsTheSchema() {
    ObjectNode broken = compose.deepCopy();
    ((ObjectNode) broken.path("services").path("predictor")).put("replicas", 2); // not deploy.*
    ((ObjectNode) broken.path("services").path("kafka")).put("restart", 7);
    List<String> problems = ManifestChecks.composeSchema(broken);
    assertTrue(problems.size() >= 2, "both mistakes reported: " + problems);
  }

  @Test
  void aBrokenKubernetesObjectFailsItsSchema() {
    List<JsonNode> broken = deepCopy(base);
    ObjectNode predictor = (ObjectNode) object(broken, "StatefulSet", "seqcast-predictor");
    ((ObjectNode) predictor.path("spec")).put("replicas", "two");
    ObjectNode container =
        (ObjectNode) predictor.path("spec").path("template").path("spec").path("containers").get(0);
    container.put("imagePullPolicy", 3);
    container.put("livenessProbes", "typo");
    List<String> problems = ManifestChecks.kubernetesSchemas(broken);
    assertTrue(problems.size() >= 3, "every mistake reported: " + problems);
    broken.add(
        Manifests.yamlDocuments("apiVersion: v1\nkind: Pod\nmetadata: {name: stray}\n").get(0));
    assertTrue(
        ManifestChecks.kubernetesSchemas(broken).stream().anyMatch(p -> p.contains("v1/Pod")),
        "a kind without a vendored schema is refused, not skipped");
  }

  @Test
  void brokenPredictorWiringIsReported() {
    List<JsonNode> broken = deepCopy(base);
    ObjectNode container =
        (ObjectNode)
            object(broken, "StatefulSet", "seqcast-predictor")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
    ((ObjectNode) container.path("readinessProbe").path("httpGet")).put("path", "/health/live");
    ((ObjectNode) container.path("livenessProbe").path("httpGet")).put("port", 8080);
    ArrayNode env = (ArrayNode) container.path("env");
    for (int i = env.size() - 1; i >= 0; i--) {
      if (env.get(i).path("name").asText().equals("SEQCAST_KAFKA_NUM_STANDBY_REPLICAS")) {
        env.remove(i);
      }
    }
    broken.removeIf(
        o ->
            o.path("kind").asText().equals("PodDisruptionBudget")
                && o.path("metadata").path("name").asText().equals("seqcast-predictor"));
    List<String> problems = ManifestChecks.predictorWiring(broken);
    assertEquals(4, problems.size(), "readiness, liveness, standby, budget: " + problems);
  }

  @Test
  void unknownVariablesAndSettingsAreReported() {
    List<SeqcastContainer> broken = new ArrayList<>();
    for (SeqcastContainer c : allContainers()) {
      Map<String, String> env = new LinkedHashMap<>(c.environment());
      if (c.args().get(0).equals("serve")) {
        env.put("SEQCAST_STATE_DIRECTORY", "/state"); // a typo of SEQCAST_STATE_DIR
        env.put("SEQCAST_KAFKA_SECURITY_PROTOKOL", "SASL_SSL"); // names no Kafka setting
      }
      if (c.args().get(0).equals("train")) {
        env.put("SEQCAST_ROUTE", "a.*=a"); // serve's option, not train's
      }
      broken.add(new SeqcastContainer(c.where(), c.image(), c.args(), env));
    }
    List<String> problems = ManifestChecks.environment(broken);
    long serves = broken.stream().filter(c -> c.args().get(0).equals("serve")).count();
    long trains = broken.stream().filter(c -> c.args().get(0).equals("train")).count();
    assertTrue(serves >= 3 && trains >= 2, "compose, base and overlay each run both");
    assertEquals(2 * serves + trains, problems.size(), String.join("\n", problems));
    assertFalse(
        ManifestChecks.imageEnvironment(Map.of("SEQCAST_STATE_DIRS", "/x")).isEmpty(),
        "an image variable no command reads is reported");
    assertTrue(
        ManifestChecks.kafkaSettingVariables().containsKey("SEQCAST_KAFKA_NUM_STANDBY_REPLICAS"));
  }

  @Test
  void commandLinesTheCliRefusesAreReported() {
    List<SeqcastContainer> broken =
        List.of(
            new SeqcastContainer("a", "seqcast/seqcast:x", List.of("serve", "--no-such"), Map.of()),
            new SeqcastContainer(
                "b", "seqcast/seqcast:x", List.of("serve"), Map.of("SEQCAST_METRICS_PORT", "nine")),
            new SeqcastContainer("c", "seqcast/seqcast:x", List.of("predict"), Map.of()));
    List<String> problems = ManifestChecks.commandLines(broken);
    assertEquals(3, problems.size(), String.join("\n", problems));
    assertEquals(
        List.of("train", "--model-version", ManifestChecks.SUBSTITUTED, "--name", "a b"),
        ManifestChecks.fromShell(
            "exec seqcast train --model-version \"$(date -u +%Y%m%d%H)\" --name 'a b'", "t"));
  }

  @Test
  void mismatchedImageTagsAreReported() {
    Map<String, String> images =
        Map.of(
            "a", "seqcast/seqcast:0.0.9",
            "b", "apache/kafka:3.9.0",
            "c", "prom/prometheus:latest",
            "d", "registry.example.com/seqcast/seqcast:" + projectVersion());
    assertEquals(
        3, ManifestChecks.imageTags(images, projectVersion(), kafkaVersion()).size(), "a, b, c");
  }

  @Test
  void aDockerfileMissingAnyRequiredPropertyFails() {
    String real = Manifests.read(Manifests.deployDir().resolve("docker/Dockerfile"));
    Map<String, String> mutations =
        Map.of(
            "no USER", real.replaceAll("(?m)^USER .*$", ""),
            "root USER", real.replaceAll("(?m)^USER .*$", "USER root"),
            "no HEALTHCHECK",
                real.replace("HEALTHCHECK", "# HEALTHCHECK").replace("  CMD curl", "# CMD"),
            "no VOLUME", real.replaceAll("(?m)^VOLUME .*$", ""),
            "JRE 21", real.replace("FROM eclipse-temurin:17-jre", "FROM eclipse-temurin:21-jre"),
            "one stage", real.substring(real.indexOf("FROM eclipse-temurin")),
            "fat jar path", real.replace("target/seqcast.jar", "target/seqcast-all.jar"),
            "lib elsewhere", real.replace("/opt/seqcast/lib/", "/usr/lib/seqcast/"));
    mutations.forEach(
        (name, text) ->
            assertFalse(
                ManifestChecks.dockerfileProperties(
                        ManifestChecks.dockerfile(text), launcher(), MetricsServer.DEFAULT_PORT)
                    .isEmpty(),
                name + " must fail"));
  }

  @Test
  void aTopicsScriptThatDriftsFromTheCodeFails() {
    String real = topicsScript();
    assertFalse(
        ManifestChecks.topicsScript(real.replace("cleanup.policy=compact", "cleanup.policy=delete"))
            .isEmpty());
    String dlq = "create \"${SEQCAST_DLQ_TOPIC:-seqcast.dlq}\" \"$PARTITIONS\"\n";
    assertTrue(real.contains(dlq), real);
    assertFalse(ManifestChecks.topicsScript(real.replace(dlq, "")).isEmpty());
    assertFalse(
        ManifestChecks.topicsScript(
                real.replace("seqcast.model-events}\" 1", "seqcast.model-events}\" 3"))
            .isEmpty());
    assertFalse(
        ManifestChecks.topicsScript(real + "\ncreate \"${SEQCAST_EXTRA_TOPIC:-seqcast.extra}\" 1\n")
            .isEmpty());
    assertFalse(
        ManifestChecks.topicsScript(real.replace(dlq, "create seqcast.dlq \"$PARTITIONS\"\n"))
            .isEmpty(),
        "a fixed name cannot be renamed");
    assertFalse(
        ManifestChecks.topicsScript(real.replace("SEQCAST_DLQ_TOPIC", "SEQCAST_DLQ")).isEmpty(),
        "a variable seqcast does not read");
  }

  @Test
  void aKustomizationNamingAMissingFileFails() throws Exception {
    Path dir = Files.createTempDirectory("seqcast-kustomization");
    try {
      Path file = dir.resolve("kustomization.yaml");
      Files.writeString(file, "resources:\n  - missing.yaml\npatches:\n  - path: gone.yaml\n");
      assertEquals(2, ManifestChecks.kustomizationFiles(file).size());
    } finally {
      Files.deleteIfExists(dir.resolve("kustomization.yaml"));
      Files.deleteIfExists(dir);
    }
  }

  // -------------------------------------------------------------------------------- helpers

  private static List<SeqcastContainer> allContainers() {
    List<SeqcastContainer> containers = new ArrayList<>(ManifestChecks.composeContainers(compose));
    containers.addAll(ManifestChecks.kubernetesContainers(base));
    containers.addAll(ManifestChecks.kubernetesContainers(overlay));
    assertTrue(
        containers.size() >= 7, "compose trainer, predictor, replay; k8s twice: " + containers);
    return containers;
  }

  private static List<String> containerArgs(List<SeqcastContainer> containers, String where) {
    return containers.stream()
        .filter(c -> c.where().equals(where))
        .findFirst()
        .orElseThrow()
        .args();
  }

  private static JsonNode object(List<JsonNode> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind))
        .filter(o -> o.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static List<JsonNode> deepCopy(List<JsonNode> objects) {
    List<JsonNode> copy = new ArrayList<>();
    objects.forEach(o -> copy.add(o.deepCopy()));
    return copy;
  }

  private static String topicsScript() {
    return Manifests.read(Manifests.deployDir().resolve("k8s/base/create-topics.sh"));
  }

  private static String launcher() {
    return Manifests.read(Manifests.deployDir().resolve("docker/seqcast.sh"));
  }

  private static String projectVersion() {
    Matcher m =
        Pattern.compile("<artifactId>seqcast</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertTrue(m.find(), "the pom names its version");
    return m.group(1);
  }

  private static String kafkaVersion() {
    Matcher m = Pattern.compile("<kafka.version>([^<]+)</kafka.version>").matcher(pom);
    assertTrue(m.find(), "the pom names the Kafka version");
    return m.group(1);
  }

  private static void assertNoProblems(List<String> problems) {
    assertTrue(
        problems.isEmpty(), () -> problems.size() + " problem(s):\n" + String.join("\n", problems));
  }
}
