/** The README's embedding example; {@code mvn ... exec:java} in this module runs it. */
package dev.weir.examples;
