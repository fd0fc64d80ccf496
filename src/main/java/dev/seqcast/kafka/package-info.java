/**
 * Kafka itself: the embedded KRaft broker and cluster, client connection settings, bounded reads.
 */
package dev.seqcast.kafka;
