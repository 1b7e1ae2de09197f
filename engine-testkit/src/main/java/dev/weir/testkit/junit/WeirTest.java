package dev.weir.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Registers {@link WeirTestExtension} on a test class or method: seed injection, the replay command
 * in the failure message and the failure's artifacts folder.
 *
 * <pre>{@code
 * @WeirTest
 * class PipelineTest {
 *   @Test
 *   void pipeline_anyInput_deliversEverything(long seed, FailureArtifacts artifacts) {
 *     RunningGraph running = artifacts.watch(Scheduler.builder().seed(seed).build().start(graph));
 *     SplittableRandom random = new SplittableRandom(seed);
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safety: an annotation, immutable.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(WeirTestExtension.class)
public @interface WeirTest {}
