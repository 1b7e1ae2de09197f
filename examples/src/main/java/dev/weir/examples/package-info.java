/** The README's embedding example; {@code mvn ... exec:exec} in this module runs it. */
package dev.weir.examples;
