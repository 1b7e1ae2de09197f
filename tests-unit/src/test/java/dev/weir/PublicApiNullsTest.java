package dev.weir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.Clock;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Headers;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeOption;
import dev.weir.core.Nodes;
import dev.weir.core.OfferResult;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.core.Subgraph;
import dev.weir.core.SubgraphBuilder;
import dev.weir.scheduler.BatchOfferResult;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.Priority;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.VirtualClock;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.DeliveryOrder;
import dev.weir.testkit.LeakDetector;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.SuiteReport;
import dev.weir.testkit.Watchdog;
import dev.weir.testkit.fault.ChecksumVerifier;
import dev.weir.testkit.fault.Fault;
import dev.weir.testkit.fault.FaultPlan;
import dev.weir.testkit.load.ClosedLoad;
import dev.weir.testkit.load.LoadProfile;
import dev.weir.testkit.load.OpenLoad;
import dev.weir.testkit.load.SaturationSearch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Every public method and constructor of the public API ({@code dev.weir.core}, {@code
 * dev.weir.scheduler}, and the toolkit's {@code dev.weir.testkit}, {@code .junit}, {@code .fault}
 * and {@code .load}: tests-unit already depends on engine-testkit, so no cycle) rejects a null
 * argument at once, with a {@link NullPointerException} whose message names the parameter, unless
 * the parameter is declared {@code @Nullable}.
 *
 * <p>Like Guava's {@code NullPointerTester} (not used: guava-testlib is not available offline here,
 * and it does not check that the message names the parameter): the classes are found on the
 * classpath, so a new public class is covered without editing this test; each reference parameter
 * in turn gets null while the others get a default value; instance methods run on an instance from
 * {@link #INSTANCES}, and a public class with such methods but no instance fails the test, so
 * nothing escapes by omission. Parameter names come from the class files (the engine is compiled
 * with {@code -parameters}).
 *
 * <p>Interfaces are checked for their static methods only: their other methods are implemented by
 * the application (Node, Clock, DeadLetterHandler) or by engine classes outside this sweep.
 */
class PublicApiNullsTest {

  private static final List<String> PACKAGES =
      List.of(
          "dev.weir.core",
          "dev.weir.scheduler",
          "dev.weir.testkit",
          "dev.weir.testkit.junit",
          "dev.weir.testkit.fault",
          "dev.weir.testkit.load");

  /** Methods whose contract accepts null by definition ({@code Enum.valueOf} is the JDK's). */
  private static final Set<String> EXEMPT = Set.of("equals");

  /** Non-null values for parameters of these types; the first match by assignability wins. */
  private static final Map<Class<?>, Supplier<?>> DEFAULTS = new HashMap<>();

  /** Instances on which the instance methods of these public classes are called. */
  private static final Map<Class<?>, Supplier<?>> INSTANCES = new HashMap<>();

  static {
    DEFAULTS.put(String.class, () -> "x");
    DEFAULTS.put(CharSequence.class, () -> "x");
    DEFAULTS.put(Object.class, () -> "x");
    DEFAULTS.put(Class.class, () -> String.class);
    DEFAULTS.put(Duration.class, () -> Duration.ofMillis(1));
    DEFAULTS.put(Node.class, () -> Nodes.sink(String.class, s -> {}));
    DEFAULTS.put(PortSpec.class, () -> PortSpec.of("in", String.class));
    DEFAULTS.put(Message.class, () -> Message.of("x"));
    DEFAULTS.put(Headers.class, () -> Headers.of("k", "v"));
    DEFAULTS.put(EdgeSpec.class, EdgeSpec::defaults);
    DEFAULTS.put(OverflowPolicy.class, () -> OverflowPolicy.BLOCK);
    DEFAULTS.put(Clock.class, Clock::system);
    DEFAULTS.put(Graph.class, PublicApiNullsTest::graph);
    DEFAULTS.put(Subgraph.class, PublicApiNullsTest::subgraph);
    DEFAULTS.put(Priority.class, () -> Priority.HIGH);
    DEFAULTS.put(ErrorPolicy.class, () -> ErrorPolicy.STOP_NODE);
    DEFAULTS.put(NodeOption.class, () -> Priority.HIGH);
    DEFAULTS.put(Iterable.class, List::of);
    DEFAULTS.put(Collection.class, List::of);
    DEFAULTS.put(List.class, List::of);
    DEFAULTS.put(Set.class, Set::of);
    DEFAULTS.put(Map.class, Map::of);
    DEFAULTS.put(Optional.class, Optional::empty);
    DEFAULTS.put(Throwable.class, () -> new IllegalStateException("x"));
    DEFAULTS.put(Long.class, () -> 1L);
    DEFAULTS.put(Integer.class, () -> 1);
    DEFAULTS.put(MeterRegistry.class, SimpleMeterRegistry::new);

    INSTANCES.put(GraphBuilder.class, () -> Graph.builder("g"));
    INSTANCES.put(SubgraphBuilder.class, Subgraph::builder);
    INSTANCES.put(Graph.class, PublicApiNullsTest::graph);
    INSTANCES.put(Message.class, () -> Message.of("x"));
    INSTANCES.put(Headers.class, () -> Headers.of("k", "v"));
    INSTANCES.put(PortSpec.class, () -> PortSpec.of("in", String.class));
    INSTANCES.put(EdgeSpec.class, EdgeSpec::defaults);
    INSTANCES.put(OverflowPolicy.class, () -> OverflowPolicy.BLOCK);
    INSTANCES.put(Scheduler.class, () -> Scheduler.builder().build());
    INSTANCES.put(Scheduler.Builder.class, Scheduler::builder);
    INSTANCES.put(VirtualClock.class, VirtualClock::start);
    INSTANCES.put(BatchOfferResult.class, () -> BatchOfferResult.of(0, 0, 0, 0, 0, null));

    // The toolkit (dev.weir.testkit and its sub-packages).
    DEFAULTS.put(Path.class, () -> Path.of("target", "nulls"));
    DEFAULTS.put(OfferResult.class, OfferResult::accepted);
    DEFAULTS.put(ConservationLedger.class, () -> ConservationLedger.of(Long.class, x -> x));
    DEFAULTS.put(Fault.class, () -> Fault.throwAt("x", 1));
    DEFAULTS.put(FaultPlan.class, () -> FaultPlan.of(Fault.throwAt("x", 1)));
    DEFAULTS.put(LoadProfile.class, () -> LoadProfile.constant(1, Duration.ofSeconds(1)));
    DEFAULTS.put(VirtualClock.class, VirtualClock::start);
    INSTANCES.put(StressTest.class, () -> StressTest.named("x"));
    INSTANCES.put(ConservationLedger.class, () -> ConservationLedger.of(Long.class, x -> x));
    INSTANCES.put(DeliveryOrder.class, DeliveryOrder::create);
    INSTANCES.put(LeakDetector.class, () -> LeakDetector.of(1, Duration.ofMillis(1)));
    INSTANCES.put(Watchdog.class, () -> Watchdog.builder().manual(() -> null));
    INSTANCES.put(Watchdog.Builder.class, Watchdog::builder);
    INSTANCES.put(
        SuiteReport.class, () -> SuiteReport.in(java.nio.file.Path.of("target", "nulls-suite")));
    INSTANCES.put(ChecksumVerifier.class, ChecksumVerifier::create);
    INSTANCES.put(FaultPlan.class, () -> FaultPlan.of(Fault.throwAt("x", 1)));
    INSTANCES.put(ClosedLoad.class, ClosedLoad::create);
    INSTANCES.put(LoadProfile.class, () -> LoadProfile.constant(1, Duration.ofSeconds(1)));
    INSTANCES.put(
        OpenLoad.class, () -> OpenLoad.of(LoadProfile.constant(1, Duration.ofSeconds(1))));
    INSTANCES.put(SaturationSearch.class, () -> SaturationSearch.p99Below(Duration.ofMillis(1)));
  }

  /**
   * Public classes whose instances only the toolkit makes (their constructors are not public) and
   * that a test receives from it: a run's {@code Environment} and {@code StressResult}, the JUnit
   * extension's {@code FailureArtifacts}. Their methods are checked where they are made. And the
   * JUnit extension itself, whose instance methods JUnit calls (never with null).
   */
  private static final Set<String> MADE_BY_THE_TOOLKIT =
      Set.of(
          "dev.weir.testkit.Environment",
          "dev.weir.testkit.StressResult",
          "dev.weir.testkit.junit.FailureArtifacts",
          "dev.weir.testkit.junit.WeirTestExtension");

  private static Graph graph() {
    return Graph.builder("g").add("s", Nodes.range(0, 1)).build();
  }

  private static Subgraph subgraph() {
    return Subgraph.builder()
        .add("m", Nodes.map(String.class, String.class, s -> s))
        .exposeInput("in", "m.in")
        .exposeOutput("out", "m.out")
        .build();
  }

  @Test
  void everyPublicMethod_nullArgument_throwsNullPointerExceptionNamingIt() throws Exception {
    List<String> failures = new ArrayList<>();
    List<Class<?>> classes = publicClasses();
    assertThat(classes).as("public classes found on the classpath").hasSizeGreaterThan(30);
    int checked = 0;
    for (Class<?> type : classes) {
      for (Constructor<?> constructor : type.getConstructors()) {
        if (!Modifier.isAbstract(type.getModifiers())) {
          checked += check(null, constructor, failures);
        }
      }
      for (Method method : type.getDeclaredMethods()) {
        int mod = method.getModifiers();
        if (!Modifier.isPublic(mod)
            || method.isSynthetic()
            || method.isBridge()
            || EXEMPT.contains(method.getName())
            || (type.isEnum() && method.getName().equals("valueOf"))) {
          continue;
        }
        if (Modifier.isStatic(mod)) {
          checked += check(null, method, failures);
        } else if (!type.isInterface() && !type.isEnum() && !type.isRecord()) {
          if (!hasCheckedParameter(method) || takesWhatOnlyTheToolkitMakes(method)) {
            continue;
          }
          Supplier<?> instance = INSTANCES.get(type);
          if (instance == null && MADE_BY_THE_TOOLKIT.contains(type.getName())) {
            continue;
          }
          if (instance == null) {
            failures.add(
                type.getName() + ": no instance in INSTANCES to call " + signature(method));
            continue;
          }
          checked += check(instance, method, failures);
        }
      }
    }
    assertThat(checked).as("parameters checked").isGreaterThan(100);
    assertThat(failures).as("public methods that do not reject null naming the argument").isEmpty();
  }

  private static int check(
      @Nullable Supplier<?> instance, Executable executable, List<String> failures)
      throws Exception {
    Parameter[] params = executable.getParameters();
    AnnotatedType[] annotated = executable.getAnnotatedParameterTypes();
    int checked = 0;
    for (int i = 0; i < params.length; i++) {
      if (params[i].getType().isPrimitive() || annotated[i].isAnnotationPresent(Nullable.class)) {
        continue;
      }
      if (!params[i].isNamePresent()) {
        failures.add(signature(executable) + ": compiled without -parameters");
        continue;
      }
      Object[] args = new Object[params.length];
      for (int j = 0; j < params.length; j++) {
        args[j] = j == i ? null : defaultValue(params[j].getType(), signature(executable));
      }
      String name = params[i].getName();
      Throwable thrown = invoke(instance, executable, args);
      if (!(thrown instanceof NullPointerException)) {
        failures.add(
            signature(executable)
                + " with "
                + name
                + "=null: "
                + (thrown == null ? "returned normally" : "threw " + thrown));
      } else if (thrown.getMessage() == null || !thrown.getMessage().contains(name)) {
        failures.add(
            signature(executable)
                + " with "
                + name
                + "=null: NullPointerException does not name '"
                + name
                + "': "
                + thrown.getMessage());
      }
      checked++;
    }
    return checked;
  }

  private static @Nullable Throwable invoke(
      @Nullable Supplier<?> instance, Executable executable, Object[] args) throws Exception {
    try {
      if (executable instanceof Constructor<?> c) {
        c.newInstance(args);
      } else {
        ((Method) executable).invoke(instance == null ? null : instance.get(), args);
      }
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause();
    }
  }

  /**
   * Whether a parameter's type is one only the toolkit makes (a {@code StressResult}): no default
   * value can be built here, so such methods ({@code SuiteReport.add}) are checked where a real one
   * is at hand, in engine-testkit's {@code SuiteReportTest}.
   */
  private static boolean takesWhatOnlyTheToolkitMakes(Method method) {
    for (Class<?> p : method.getParameterTypes()) {
      if (MADE_BY_THE_TOOLKIT.contains(p.getName())) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCheckedParameter(Method method) {
    Parameter[] params = method.getParameters();
    AnnotatedType[] annotated = method.getAnnotatedParameterTypes();
    for (int i = 0; i < params.length; i++) {
      if (!params[i].getType().isPrimitive() && !annotated[i].isAnnotationPresent(Nullable.class)) {
        return true;
      }
    }
    return false;
  }

  private static Object defaultValue(Class<?> type, String where) {
    if (type == int.class) {
      return 1;
    } else if (type == long.class) {
      return 1L;
    } else if (type == double.class) {
      return 0.5;
    } else if (type == boolean.class) {
      return false;
    } else if (type.isArray()) {
      return Array.newInstance(type.getComponentType(), 0);
    } else if (type.isEnum()) {
      Object[] constants = type.getEnumConstants();
      return constants[constants.length - 1];
    }
    Supplier<?> exact = DEFAULTS.get(type);
    if (exact != null) {
      return exact.get();
    }
    if (type.isInterface()) {
      return inertProxy(type);
    }
    if (type.isRecord()) {
      return newRecord(type, where);
    }
    throw new AssertionError("no default value of " + type.getName() + " for " + where);
  }

  /** A record whose components all hold default values. */
  private static Object newRecord(Class<?> type, String where) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = defaultValue(types[i], where);
    }
    try {
      return type.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot make a " + type.getName() + " for " + where, e);
    }
  }

  /** An implementation of any interface whose methods do nothing and return zero values. */
  private static Object inertProxy(Class<?> type) {
    return Proxy.newProxyInstance(
        type.getClassLoader(),
        new Class<?>[] {type},
        (proxy, method, args) -> {
          Class<?> r = method.getReturnType();
          if (method.getName().equals("toString")) {
            return "inert " + type.getSimpleName();
          } else if (method.getName().equals("hashCode")) {
            return System.identityHashCode(proxy);
          } else if (method.getName().equals("equals")) {
            return proxy == args[0];
          } else if (r == boolean.class) {
            return false;
          } else if (r == void.class) {
            return null;
          } else if (r.isPrimitive()) {
            return r == long.class ? 0L : r == double.class ? 0.0 : 0;
          }
          return defaultValue(r, method.toString());
        });
  }

  private static String signature(Executable executable) {
    StringBuilder s = new StringBuilder(executable.getDeclaringClass().getName()).append('#');
    s.append(executable instanceof Constructor<?> ? "<init>" : executable.getName()).append('(');
    Class<?>[] types = executable.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      s.append(i == 0 ? "" : ", ").append(types[i].getSimpleName());
    }
    return s.append(')').toString();
  }

  /** The public top-level and nested classes of {@link #PACKAGES}, read from the classpath. */
  private static List<Class<?>> publicClasses() throws IOException, URISyntaxException {
    Set<String> names = new TreeSet<>();
    for (Class<?> anchor : List.of(Graph.class, Scheduler.class, StressTest.class)) {
      Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.walk(location)) {
          files.map(p -> location.relativize(p).toString().replace('\\', '/')).forEach(names::add);
        }
      } else {
        try (JarFile jar = new JarFile(location.toFile())) {
          jar.stream().forEach(e -> names.add(e.getName()));
        }
      }
    }
    List<Class<?>> classes = new ArrayList<>();
    for (String entry : names) {
      if (!entry.endsWith(".class") || entry.contains("package-info")) {
        continue;
      }
      String className = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
      String pkg = className.substring(0, className.lastIndexOf('.'));
      if (!PACKAGES.contains(pkg)) {
        continue;
      }
      Class<?> type;
      try {
        type = Class.forName(className, false, PublicApiNullsTest.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new UncheckedIOException(new IOException(e));
      }
      if (isPublicApi(type)) {
        classes.add(type);
      }
    }
    return classes;
  }

  private static boolean isPublicApi(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isSynthetic()) {
        return false;
      }
    }
    return true;
  }
}
