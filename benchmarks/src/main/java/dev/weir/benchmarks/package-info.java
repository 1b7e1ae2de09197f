/**
 * JMH benchmarks that put Weir beside its peers (JCTools, the JDK queues, Reactor, RxJava 3 and
 * Pekko Streams) on the same data, plus the {@link dev.weir.benchmarks.ControlLatency} probe and
 * the {@link dev.weir.benchmarks.StageThreads} check of which threads run each stage. Every
 * benchmark verifies its result and throws if it is wrong. Not API.
 *
 * <p>Build the runnable jar with {@code mvn -B -pl benchmarks -am package -DskipTests}, run
 * everything with {@code java -jar benchmarks/target/benchmarks.jar}; each class's javadoc carries
 * its own command, and {@code docs/benchmarks.md} the options, the measured table and the
 * regression gate.
 *
 * <p>Thread-safety: each class states who runs what; benchmark state belongs to JMH's threads.
 */
package dev.weir.benchmarks;
