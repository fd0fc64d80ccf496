package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.testkit.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelEnsembleTest {

  @ParameterizedTest(name = "{0}, layers {1}")
  @CsvSource({"LSTM, 1", "LSTM, 2", "GRU, 1", "GRU, 2"})
  void theMergedModelOutputsTheMeanOfItsMembersAtEveryStep(CellType cell, int layers) {
    List<ModelBundle> members = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      members.add(TestModels.random("m", 1, cell, 3, 8, layers, 10 + m, 0.4));
    }
    ModelHeader shape = members.get(0).header();
    ModelHeader merged = ModelHeader.ofShape("ensemble", cell, 3, 24, layers, shape.outputSize());
    StepKernel ensemble = RecurrentModel.from(ModelEnsemble.average(members, merged)).newKernel();
    float[] ensembleState = new float[merged.stateSize()];
    List<StepKernel> kernels = new ArrayList<>();
    List<float[]> states = new ArrayList<>();
    for (ModelBundle member : members) {
      kernels.add(RecurrentModel.from(member).newKernel());
      states.add(new float[shape.stateSize()]);
    }
    Random random = new Random(cell.ordinal() * 10L + layers);
    float[] input = new float[3];
    float[] out = new float[1];
    float[] memberOut = new float[1];
    double worst = 0;
    for (int t = 0; t < 300; t++) {
      for (int i = 0; i < input.length; i++) {
        input[i] = (float) (random.nextGaussian() * 2);
      }
      ensemble.step(ensembleState, input);
      ensemble.output(ensembleState, out);
      double mean = 0;
      for (int m = 0; m < kernels.size(); m++) {
        kernels.get(m).step(states.get(m), input);
        kernels.get(m).output(states.get(m), memberOut);
        mean += memberOut[0] / kernels.size();
      }
      worst = Math.max(worst, Math.abs(mean - out[0]));
    }
    assertTrue(worst < 1e-5, "max |ensemble - mean of members| = " + worst);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"LSTM", "GRU"})
  void membersOfAnotherShapeOrAHeaderOfTheWrongWidthAreRefused(CellType cell) {
    ModelBundle a = TestModels.random("m", 1, cell, 1, 8, 1, 1, 0.3);
    ModelBundle b = TestModels.random("m", 1, cell, 1, 4, 1, 2, 0.3);
    ModelHeader sixteen = ModelHeader.ofShape("e", cell, 1, 16, 1, 1);
    assertThrows(
        IllegalArgumentException.class, () -> ModelEnsemble.average(List.of(a, b), sixteen));
    assertThrows(
        IllegalArgumentException.class,
        () -> ModelEnsemble.average(List.of(a, a), ModelHeader.ofShape("e", cell, 1, 12, 1, 1)));
    assertEquals(
        sixteen.weightCount(), ModelEnsemble.average(List.of(a, a), sixteen).weights().length);
  }
}
