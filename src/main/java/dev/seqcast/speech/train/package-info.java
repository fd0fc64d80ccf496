/**
 * Offline speech tagging: the labelled corpus reader, the trainer of speech bundles and the
 * evaluation against an energy VAD.
 */
package dev.seqcast.speech.train;
