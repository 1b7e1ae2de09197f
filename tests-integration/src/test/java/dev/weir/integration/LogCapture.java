package dev.weir.integration;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Captures the engine's log events (every {@code dev.weir} logger, INFO and above) for one test,
 * with a Logback {@link ListAppender}. Register it with {@code @RegisterExtension}.
 *
 * <p>While a test runs, {@code dev.weir} events go to the capture only, so scenarios that provoke
 * hundreds of expected warnings keep the console readable; if the test fails, the captured WARN and
 * ERROR events are replayed to the console (logback-test.xml) after it.
 *
 * <p>Thread-safety: {@link #events} may be called from the test thread while workers log.
 */
final class LogCapture implements BeforeEachCallback, AfterEachCallback {

  private static final String ENGINE_LOGGERS = "dev.weir";

  private final ListAppender<ILoggingEvent> appender =
      new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
          event.prepareForDeferredProcessing(); // thread name and arguments as at logging time
          super.append(event);
        }
      };
  private Logger logger;
  private boolean additive;

  @Override
  public void beforeEach(ExtensionContext context) {
    LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
    logger = loggers.getLogger(ENGINE_LOGGERS);
    if (logger.getLevel() == null || !logger.isEnabledFor(Level.INFO)) {
      logger.setLevel(Level.INFO);
    }
    synchronized (appender) {
      appender.list.clear();
    }
    appender.setContext(loggers);
    appender.setName("capture");
    appender.start();
    logger.addAppender(appender);
    additive = logger.isAdditive();
    logger.setAdditive(false);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logger.detachAppender(appender);
    appender.stop();
    logger.setAdditive(additive);
    if (context.getExecutionException().isPresent()) {
      Logger root = logger.getLoggerContext().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      for (ILoggingEvent event : events(e -> e.getLevel().isGreaterOrEqual(Level.WARN))) {
        root.callAppenders(event);
      }
    }
  }

  /** Returns the events captured so far, in the order they were logged. */
  List<ILoggingEvent> events() {
    synchronized (appender) { // AppenderBase.doAppend appends under this lock
      return new ArrayList<>(appender.list);
    }
  }

  /** Returns the captured events that match a filter. */
  List<ILoggingEvent> events(Predicate<? super ILoggingEvent> filter) {
    List<ILoggingEvent> out = new ArrayList<>();
    for (ILoggingEvent e : events()) {
      if (filter.test(e)) {
        out.add(e);
      }
    }
    return out;
  }

  /** Returns the formatted messages of the events at a level whose text contains a fragment. */
  List<String> messages(Level level, String fragment) {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : events(e -> e.getLevel() == level)) {
      if (e.getFormattedMessage().contains(fragment)) {
        out.add(e.getFormattedMessage());
      }
    }
    return out;
  }

  /**
   * Returns an event's SLF4J 2 key/value pairs by key (what a JSON encoder writes as fields).
   *
   * @param event a captured event
   * @return its pairs, in a map; empty if it has none
   */
  static Map<String, Object> keyValues(ILoggingEvent event) {
    Map<String, Object> out = new HashMap<>();
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        out.put(pair.key, pair.value);
      }
    }
    return out;
  }

  /** Renders the captured events, for failure messages. */
  String describe() {
    StringBuilder sb = new StringBuilder("captured log events:\n");
    List<ILoggingEvent> all = events();
    int from = Math.max(0, all.size() - 40);
    if (from > 0) {
      sb.append("  ... ").append(from).append(" earlier\n");
    }
    for (ILoggingEvent e : all.subList(from, all.size())) {
      sb.append("  ")
          .append(e.getLevel())
          .append(' ')
          .append(e.getLoggerName())
          .append(" - ")
          .append(e.getFormattedMessage())
          .append('\n');
    }
    return sb.toString();
  }
}
