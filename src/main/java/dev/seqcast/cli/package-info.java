/** The {@code seqcast} command line: options, wiring and printing. */
package dev.seqcast.cli;
