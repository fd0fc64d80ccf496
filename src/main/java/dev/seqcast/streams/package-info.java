/**
 * What both pipelines share on Kafka Streams: one application lifecycle ({@link
 * dev.seqcast.streams.StreamsApp}), the model mirror (a global store of bundles and control
 * records, {@link dev.seqcast.streams.ModelRegistry}), dead letters, the topics, the metrics and
 * health endpoint.
 */
package dev.seqcast.streams;
