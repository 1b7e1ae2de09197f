package dev.weir.stress.random;

import java.util.Arrays;

/**
 * The payload every random graph carries. A token names the stream that emitted it ({@code from}: a
 * node's index, or {@code -1 - feeder} for an application thread feeding an ingress) and its
 * sequence number in that stream, carries the ids of the ingress messages it stands for, and the
 * (stream, sequence) of every token a COALESCE edge merged into it ({@code partFrom}, {@code
 * partSeq}; the first part is the token itself).
 *
 * <p>Thread-safety: immutable (the arrays are never written after construction).
 *
 * @param from the emitting stream
 * @param seq the sequence number in that stream, shared by its DATA and CONTROL messages
 * @param control whether it travels on the CONTROL plane
 * @param key the conflation key of keyed COALESCE edges (0..3), kept by every hop
 * @param ids the ingress ids this token stands for; a merge concatenates them
 * @param partFrom the stream of each merged part
 * @param partSeq the sequence number of each merged part
 */
record Token(
    int from, long seq, boolean control, int key, long[] ids, int[] partFrom, long[] partSeq) {

  /** Returns a fresh token entering the graph at an ingress. */
  static Token fed(int stream, long seq, boolean control, int key, long id) {
    return new Token(
        stream, seq, control, key, new long[] {id}, new int[] {stream}, new long[] {seq});
  }

  /** Returns the token a hop emits for this one: its own stream and sequence, the same ids. */
  Token forwardedBy(int node, long nodeSeq) {
    return new Token(node, nodeSeq, control, key, ids, new int[] {node}, new long[] {nodeSeq});
  }

  /** The COALESCE merge: the queued token keeps its place and takes in the incoming one. */
  static Token merge(Token queued, Token incoming) {
    return new Token(
        queued.from,
        queued.seq,
        queued.control,
        queued.key,
        concat(queued.ids, incoming.ids),
        concat(queued.partFrom, incoming.partFrom),
        concat(queued.partSeq, incoming.partSeq));
  }

  private static long[] concat(long[] a, long[] b) {
    long[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return (control ? "CONTROL " : "")
        + "token[from="
        + from
        + " seq="
        + seq
        + " ids="
        + Arrays.toString(ids)
        + (partFrom.length > 1 ? " merged=" + partFrom.length : "")
        + ']';
  }
}
