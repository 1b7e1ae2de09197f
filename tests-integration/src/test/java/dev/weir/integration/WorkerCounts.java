package dev.weir.integration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs a scenario with 1 worker (the event loop), 2 workers (one per core here) and 4 (more workers
 * than cores, so activations are preempted mid-flight). The test method takes the count as its
 * first parameter.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0} worker(s)")
@ValueSource(ints = {1, 2, 4})
@interface WorkerCounts {}
