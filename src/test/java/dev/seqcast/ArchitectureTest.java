package dev.seqcast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of docs/architecture.md, checked on the compiled product and benchmark
 * classes: dependencies point down only, from the CLI through the two pipelines and the shared
 * streams core to the pure model, and nothing runs in a circle.
 */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    Path product = Path.of("target/classes");
    Path bench = Path.of("target/bench-classes");
    if (!Files.isDirectory(product) || !Files.isDirectory(bench)) {
      throw new IllegalStateException("run through Maven: target/classes and bench-classes needed");
    }
    classes = new ClassFileImporter().importPaths(product, bench);
  }

  @Test
  void layersOnlyDependDownwards() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("bench")
        .definedBy("dev.seqcast.bench..")
        .layer("cli")
        .definedBy("dev.seqcast.cli..")
        .layer("forecast.train")
        .definedBy("dev.seqcast.forecast.train..")
        .layer("forecast.data")
        .definedBy("dev.seqcast.forecast.data..")
        .layer("forecast")
        .definedBy("dev.seqcast.forecast")
        .layer("speech.train")
        .definedBy("dev.seqcast.speech.train..")
        .layer("speech")
        .definedBy("dev.seqcast.speech")
        .layer("train")
        .definedBy("dev.seqcast.train..")
        .layer("streams")
        .definedBy("dev.seqcast.streams..")
        .layer("kafka")
        .definedBy("dev.seqcast.kafka..")
        .layer("model")
        .definedBy("dev.seqcast.model..")
        .whereLayer("bench")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("cli")
        .mayOnlyBeAccessedByLayers("bench")
        .whereLayer("forecast.train")
        .mayOnlyBeAccessedByLayers("cli", "bench")
        .whereLayer("speech.train")
        .mayOnlyBeAccessedByLayers("cli", "bench")
        .whereLayer("forecast.data")
        .mayOnlyBeAccessedByLayers("forecast.train", "cli", "bench")
        .whereLayer("forecast")
        .mayOnlyBeAccessedByLayers("forecast.data", "forecast.train", "cli", "bench")
        .whereLayer("speech")
        .mayOnlyBeAccessedByLayers("speech.train", "cli", "bench")
        .whereLayer("train")
        .mayOnlyBeAccessedByLayers("forecast.train", "speech.train", "cli", "bench")
        .whereLayer("streams")
        .mayOnlyBeAccessedByLayers(
            "forecast", "forecast.data", "forecast.train", "speech", "speech.train", "cli", "bench")
        .whereLayer("kafka")
        .mayOnlyBeAccessedByLayers(
            "streams",
            "forecast",
            "forecast.data",
            "forecast.train",
            "speech",
            "speech.train",
            "cli",
            "bench")
        .check(classes);
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("dev.seqcast.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theModelIsPureJava() {
    classes()
        .that()
        .resideInAPackage("dev.seqcast.model..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.seqcast.model..", "java..", "jdk.incubator.vector..", "com.fasterxml.jackson..")
        .check(classes);
  }

  @Test
  void servingNeverLoadsTheTrainingLibraries() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.seqcast.forecast",
            "dev.seqcast.forecast.data",
            "dev.seqcast.speech",
            "dev.seqcast.streams..",
            "dev.seqcast.kafka..",
            "dev.seqcast.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.deeplearning4j..", "org.nd4j..")
        .check(classes);
  }

  @Test
  void onlyTheBenchmarksUseBenchmarkLibraries() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.seqcast.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.openjdk.jmh..", "org.HdrHistogram..")
        .check(classes);
  }
}
