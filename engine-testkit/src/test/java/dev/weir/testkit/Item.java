package dev.weir.testkit;

/**
 * The payload the toolkit's tests send: a unique id (for the ledger), the stream that sent it and
 * its number in that stream (for the order checks).
 */
record Item(long id, String stream, long seq) {}
