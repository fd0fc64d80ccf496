/**
 * Streaming speech tagging: PCM16 chunks from {@code seqcast.frames} become causal log-mel frames
 * ({@link dev.seqcast.speech.LogMelFeatures}), each frame advances the stream's recurrent state by
 * one step under a classification model, and {@link dev.seqcast.speech.SpeechTagger} turns the
 * class probabilities into per-frame tags and speech segment events on {@code seqcast.tags}. The
 * corpus reader, the trainer and the evaluation live in {@code speech.train}.
 */
package dev.seqcast.speech;
