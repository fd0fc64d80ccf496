/**
 * The model, pure Java with no Kafka and no DL4J: step kernels, bundles and their signatures, input
 * transforms, conformal intervals and anomaly scores.
 */
package dev.seqcast.model;
