package dev.weir.scheduler.internal;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.spi.CallerBoundaryAware;
import org.slf4j.spi.LoggingEventAware;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Not API: a node's logger ({@code NodeContext.logger()}): every line goes to the one logger
 * {@value #NAME}, with the node's name as the key/value pair {@code node}.
 *
 * <p>Why not a logger named after the node: an SLF4J binding keeps every logger it ever created
 * (Logback's logger context, slf4j-simple's map), so a logger per node name lived as long as the
 * JVM. An application that builds graphs with fresh node names (per tenant, per request) leaked one
 * logger per node: 100,003 loggers, 18 MB, after one 100,000-node graph stopped. This object
 * belongs to the node's cell and goes with the graph.
 *
 * <p>Thread-safety: thread-safe (stateless over a thread-safe SLF4J logger).
 */
final class NodeLogger extends AbstractLogger implements LoggingEventAware {

  private static final long serialVersionUID = 1L;

  /** The one logger every node's lines go to. */
  static final String NAME = "dev.weir.node";

  /** The key of the node's name on every line. */
  static final String NODE_KEY = "node";

  private static final String BOUNDARY = AbstractLogger.class.getName();

  private final transient Logger delegate;
  private final String node;

  NodeLogger(String node) {
    this.name = NAME;
    this.node = node;
    this.delegate = LoggerFactory.getLogger(NAME);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return BOUNDARY;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level,
      @Nullable Marker marker,
      String messagePattern,
      Object @Nullable [] arguments,
      @Nullable Throwable throwable) {
    LoggingEventBuilder event = start(level, BOUNDARY).addKeyValue(NODE_KEY, node);
    if (marker != null) {
      event = event.addMarker(marker);
    }
    if (arguments != null) {
      for (Object argument : arguments) {
        event = event.addArgument(argument);
      }
    }
    if (throwable != null) {
      event = event.setCause(throwable);
    }
    event.log(messagePattern);
  }

  /** The fluent API ({@code logger().atInfo().addKeyValue(...)}) arrives here, pairs included. */
  @Override
  public void log(LoggingEvent source) {
    Level level = source.getLevel();
    if (!isEnabledForLevel(level)) {
      return;
    }
    String boundary = source.getCallerBoundary();
    LoggingEventBuilder event = start(level, boundary == null ? BOUNDARY : boundary);
    boolean named = false;
    if (source.getKeyValuePairs() != null) {
      for (KeyValuePair pair : source.getKeyValuePairs()) {
        named |= NODE_KEY.equals(pair.key);
        event = event.addKeyValue(pair.key, pair.value);
      }
    }
    if (!named) {
      event = event.addKeyValue(NODE_KEY, node);
    }
    if (source.getMarkers() != null) {
      for (Marker marker : source.getMarkers()) {
        event = event.addMarker(marker);
      }
    }
    if (source.getArguments() != null) {
      for (Object argument : source.getArguments()) {
        event = event.addArgument(argument);
      }
    }
    if (source.getThrowable() != null) {
      event = event.setCause(source.getThrowable());
    }
    event.log(source.getMessage());
  }

  private LoggingEventBuilder start(Level level, String boundary) {
    LoggingEventBuilder event = delegate.atLevel(level);
    if (event instanceof CallerBoundaryAware aware) {
      aware.setCallerBoundary(boundary); // the caller is the node's code, not this class
    }
    return event;
  }

  @Override
  public boolean isTraceEnabled() {
    return delegate.isTraceEnabled();
  }

  @Override
  public boolean isTraceEnabled(Marker marker) {
    return delegate.isTraceEnabled(marker);
  }

  @Override
  public boolean isDebugEnabled() {
    return delegate.isDebugEnabled();
  }

  @Override
  public boolean isDebugEnabled(Marker marker) {
    return delegate.isDebugEnabled(marker);
  }

  @Override
  public boolean isInfoEnabled() {
    return delegate.isInfoEnabled();
  }

  @Override
  public boolean isInfoEnabled(Marker marker) {
    return delegate.isInfoEnabled(marker);
  }

  @Override
  public boolean isWarnEnabled() {
    return delegate.isWarnEnabled();
  }

  @Override
  public boolean isWarnEnabled(Marker marker) {
    return delegate.isWarnEnabled(marker);
  }

  @Override
  public boolean isErrorEnabled() {
    return delegate.isErrorEnabled();
  }

  @Override
  public boolean isErrorEnabled(Marker marker) {
    return delegate.isErrorEnabled(marker);
  }

  @Override
  public String toString() {
    return "NodeLogger[" + NAME + ", node=" + node + ']';
  }
}
