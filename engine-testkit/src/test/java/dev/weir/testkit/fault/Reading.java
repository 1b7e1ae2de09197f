package dev.weir.testkit.fault;

/** A test payload: a unique id and a value the corruption tests mutate. */
record Reading(long id, long value) {}
