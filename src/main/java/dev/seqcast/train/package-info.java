/**
 * The DL4J networks both trainers fit (an LSTM {@code MultiLayerNetwork}, a SameDiff GRU) and their
 * export into seqcast bundles.
 */
package dev.seqcast.train;
