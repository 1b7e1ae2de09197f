package dev.weir.core;

/** Whether a port reference must name an input or an output; words for problem messages. */
enum PortDirection {
  INPUT("input", "inputs"),
  OUTPUT("output", "outputs");

  final String word;
  final String plural;

  PortDirection(String word, String plural) {
    this.word = word;
    this.plural = plural;
  }

  PortDirection opposite() {
    return this == INPUT ? OUTPUT : INPUT;
  }
}
