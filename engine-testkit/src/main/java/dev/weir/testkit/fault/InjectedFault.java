package dev.weir.testkit.fault;

/**
 * What a throwing {@link Fault} throws from a wrapped node's hook: the node's error policy handles
 * it like any other failure, and dead letters carry it as their cause.
 *
 * <p>Thread-safety: immutable.
 */
public final class InjectedFault extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String fault;
  private final long operation;

  InjectedFault(String fault, long operation) {
    super("injected fault '" + fault + "' at the node's message #" + operation, null, false, false);
    this.fault = fault;
    this.operation = operation;
  }

  /**
   * Returns the name of the fault that threw.
   *
   * @return the fault's name
   */
  public String fault() {
    return fault;
  }

  /**
   * Returns which of the node's messages it was thrown on.
   *
   * @return the 1-based count of messages the wrapped node had been handed
   */
  public long operation() {
    return operation;
  }
}
