package dev.weir.scheduler.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The per-slot seqlock of {@link EventLog}'s lock-free ring (see its design block): the bound
 * writer overwrites slots while a reader copies them in {@link EventLog#recent}. A line must never
 * mix the fields of two events.
 *
 * <p>Every event k carries k in every field it has: time k, node k (named "n" + k), detail k, type
 * {@code Type.values()[k % 11]}. A line "#i t=Tns TYPE NODE D" is whole when T, NODE, D and TYPE
 * all name the same k.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t EventLogStress -m quick} (after
 * {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class EventLogStress {

  private EventLogStress() {}

  /** Events the writer appends during the race (overwriting the oldest slots). */
  static final int WRITES = 16;

  static final String[] NAMES = names();

  private static String[] names() {
    String[] names = new String[EventLog.CAPACITY + WRITES];
    for (int k = 0; k < names.length; k++) {
      names[k] = "n" + k;
    }
    return names;
  }

  static void recordEvent(EventLog log, int k) {
    EventLog.Type[] types = EventLog.Type.values();
    log.record(k, types[k % types.length], k, k);
  }

  /**
   * Actor 1 is the bound writer (it binds itself; the log was filled with events 0..127 by the
   * constructing thread, bound before it) and appends events 128..143 over the oldest slots; actor
   * 2 reads recent().
   *
   * <p>Results: r1 = 1 if some line mixes two events (torn); r2 = 1 if fewer than {@value
   * EventLog#CAPACITY} lines came back (the reader skipped slots overwritten while it read them);
   * r3 = 1 if some line's "#i" number is not its event's k.
   */
  @JCStressTest
  @Description("EventLog seqlock: a line read while the writer overwrites its slot is never torn.")
  @Outcome(
      id = "0, 0, 0",
      expect = ACCEPTABLE,
      desc = "Every line whole, none skipped: the read saw a consistent window.")
  @Outcome(
      id = "0, 1, 0",
      expect = ACCEPTABLE,
      desc = "Slots overwritten during the read were skipped; the rest whole and numbered right.")
  @Outcome(
      id = "0, 1, 1",
      expect = ACCEPTABLE_INTERESTING,
      desc =
          "Lines whole, but a skipped slot lay after one the reader kept: recent() numbers the"
              + " kept events as if contiguous, so some '#i' labels are off.")
  @Outcome(id = "1, ., .", expect = FORBIDDEN, desc = "Torn: a line mixes fields of two events.")
  @Outcome(expect = FORBIDDEN, desc = "Unexpected.")
  @State
  public static class SlotSeqlock {
    private final EventLog log = new EventLog(NAMES);

    public SlotSeqlock() {
      log.bindWriter(Thread.currentThread());
      for (int k = 0; k < EventLog.CAPACITY; k++) {
        recordEvent(log, k);
      }
    }

    @Actor
    public void writer() {
      log.bindWriter(Thread.currentThread());
      for (int k = EventLog.CAPACITY; k < EventLog.CAPACITY + WRITES; k++) {
        recordEvent(log, k);
      }
    }

    @Actor
    public void reader(III_Result r) {
      List<String> lines = log.recent();
      EventLog.Type[] types = EventLog.Type.values();
      int torn = 0;
      int mislabelled = 0;
      for (String line : lines) {
        // "#i t=Tns TYPE NODE D"
        String[] f = line.split(" ");
        long i = Long.parseLong(f[0].substring(1));
        long t = Long.parseLong(f[1].substring(2, f[1].length() - 2));
        boolean whole =
            f.length == 5
                && t >= 0
                && t < NAMES.length
                && f[2].equals(types[(int) (t % types.length)].name())
                && f[3].equals(NAMES[(int) t])
                && Long.parseLong(f[4]) == t;
        if (!whole) {
          torn = 1;
        }
        if (i != t) {
          mislabelled = 1;
        }
      }
      r.r1 = torn;
      r.r2 = lines.size() < EventLog.CAPACITY ? 1 : 0;
      r.r3 = mislabelled;
    }
  }
}
