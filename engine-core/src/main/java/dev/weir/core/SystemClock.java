package dev.weir.core;

/** The {@link System#nanoTime()} clock; a stateless singleton. */
enum SystemClock implements Clock {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public String toString() {
    return "SystemClock";
  }
}
