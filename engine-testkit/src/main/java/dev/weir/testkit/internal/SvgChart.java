package dev.weir.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * A line chart as inline SVG, drawn on the server so the report needs no script: x is time in
 * seconds, y a value with a unit. It draws one data polyline (one point per value), optional
 * reference segments (a threshold, a trend), axes with ticks and labels. The output is well-formed
 * XML (usable inside XHTML) and every text is escaped.
 *
 * <p>The plot box is fixed: {@link #WIDTH} x {@link #HEIGHT} pixels with the plot between {@link
 * #LEFT}..{@code WIDTH - RIGHT} and {@link #TOP}..{@code HEIGHT - BOTTOM}; x grows to the right and
 * y upwards (SVG's y grows downwards). The domain starts at zero on both axes unless a value is
 * negative, and ends at a round number above the largest value, so that a flat line looks flat.
 *
 * <p>Thread-safety: not thread-safe; build and render on one thread.
 */
public final class SvgChart {

  /** The chart's width in pixels. */
  public static final int WIDTH = 640;

  /** The chart's height in pixels. */
  public static final int HEIGHT = 250;

  /** Space left of the plot, for the y tick labels. */
  public static final int LEFT = 80;

  /** Space right of the plot. */
  public static final int RIGHT = 20;

  /** Space above the plot, for the title. */
  public static final int TOP = 30;

  /** Space below the plot, for the x tick labels. */
  public static final int BOTTOM = 40;

  private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
  private static final int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;

  private final String id;
  private final String title;
  private final String unit;
  private DoubleFunction<String> format = SvgChart::number;
  private double[] xs = new double[0];
  private double[] ys = new double[0];
  private final List<Segment> segments = new ArrayList<>();
  private final List<Curve> curves = new ArrayList<>();
  private double @Nullable [] xRange;
  private double @Nullable [] yRange;

  /** A further data polyline, drawn after the main one, labelled at its last point. */
  private static final class Curve {
    private final String label;
    private final double[] xs;
    private final double[] ys;

    Curve(String label, double[] xs, double[] ys) {
      this.label = label;
      this.xs = xs;
      this.ys = ys;
    }

    String label() {
      return label;
    }

    double[] xs() {
      return xs;
    }

    double[] ys() {
      return ys;
    }
  }

  /** A straight reference line between two points in data coordinates. */
  private record Segment(
      String cssClass, String label, double x0, double y0, double x1, double y1) {}

  private SvgChart(String id, String title, String unit) {
    this.id = id;
    this.title = title;
    this.unit = unit;
  }

  /**
   * Starts a chart.
   *
   * @param id the svg element's id
   * @param title the title drawn above the plot
   * @param unit the y axis's unit, drawn beside it
   * @return the chart
   */
  public static SvgChart of(String id, String title, String unit) {
    return new SvgChart(
        Objects.requireNonNull(id, "id"),
        Objects.requireNonNull(title, "title"),
        Objects.requireNonNull(unit, "unit"));
  }

  /**
   * Sets the data: one point per pair, drawn as one polyline in the given order.
   *
   * @param seconds x values, in seconds
   * @param values y values, as many as {@code seconds}
   * @return this chart
   */
  public SvgChart data(double[] seconds, double[] values) {
    if (seconds.length != values.length) {
      throw new IllegalArgumentException(
          seconds.length + " x values for " + values.length + " y values");
    }
    this.xs = seconds.clone();
    this.ys = values.clone();
    return this;
  }

  /**
   * Adds a further data polyline (class {@code series-more}, labelled at its last point), e.g. the
   * median next to the 99th percentile; the main data stays the first polyline.
   *
   * @param label drawn at its last point
   * @param seconds x values, in seconds
   * @param values y values, as many as {@code seconds}
   * @return this chart
   */
  public SvgChart more(String label, double[] seconds, double[] values) {
    Objects.requireNonNull(label, "label");
    if (seconds.length != values.length) {
      throw new IllegalArgumentException(
          seconds.length + " x values for " + values.length + " y values");
    }
    curves.add(new Curve(label, seconds.clone(), values.clone()));
    return this;
  }

  /**
   * Sets how y tick labels are written (default: the number, without trailing zeros).
   *
   * @param tickFormat value to label
   * @return this chart
   */
  public SvgChart format(DoubleFunction<String> tickFormat) {
    this.format = Objects.requireNonNull(tickFormat, "tickFormat");
    return this;
  }

  /**
   * Adds a horizontal threshold across the whole x range.
   *
   * @param value the threshold
   * @param label drawn at its right end
   * @return this chart
   */
  public SvgChart threshold(double value, String label) {
    segments.add(
        new Segment("threshold", label, Double.NaN, value, Double.NaN, value)); // x: full range
    return this;
  }

  /**
   * Adds a sloped reference line, such as the steepest growth a threshold allows ({@code cssClass}
   * "threshold") or a least-squares trend ("trend").
   *
   * @param cssClass the line's class: {@code threshold} or {@code trend}
   * @param label drawn at its right end
   * @param x0 start, seconds
   * @param y0 start value
   * @param x1 end, seconds
   * @param y1 end value
   * @return this chart
   */
  public SvgChart line(String cssClass, String label, double x0, double y0, double x1, double y1) {
    segments.add(new Segment(cssClass, label, x0, y0, x1, y1));
    return this;
  }

  /**
   * Fixes the x domain instead of deriving it from the data.
   *
   * @param min left edge, seconds
   * @param max right edge, seconds
   * @return this chart
   */
  public SvgChart xRange(double min, double max) {
    this.xRange = new double[] {min, max};
    return this;
  }

  /**
   * Fixes the y domain instead of deriving it from the data.
   *
   * @param min bottom edge
   * @param max top edge
   * @return this chart
   */
  public SvgChart yRange(double min, double max) {
    this.yRange = new double[] {min, max};
    return this;
  }

  /**
   * Returns the x pixel of a time.
   *
   * @param seconds the time
   * @return the pixel, from the svg's left edge
   */
  public double px(double seconds) {
    double[] d = xDomain();
    return LEFT + (seconds - d[0]) / (d[1] - d[0]) * PLOT_WIDTH;
  }

  /**
   * Returns the y pixel of a value.
   *
   * @param value the value
   * @return the pixel, from the svg's top edge
   */
  public double py(double value) {
    double[] d = yDomain();
    return TOP + PLOT_HEIGHT - (value - d[0]) / (d[1] - d[0]) * PLOT_HEIGHT;
  }

  /**
   * Renders the chart.
   *
   * @return an {@code <svg>} element
   */
  public String render() {
    double[] xd = xDomain();
    double[] yd = yDomain();
    StringBuilder sb = open(xd, yd);
    double xStep = niceStep((xd[1] - xd[0]) / 6);
    for (double t = Math.ceil(xd[0] / xStep) * xStep; t <= xd[1] + xStep * 1e-9; t += xStep) {
      double x = px(t);
      sb.append(line("grid", x, TOP, x, TOP + PLOT_HEIGHT));
      sb.append(text("tick", x, TOP + PLOT_HEIGHT + 16, "middle", number(t) + " s"));
    }
    double yStep = niceStep((yd[1] - yd[0]) / 5);
    for (double v = Math.ceil(yd[0] / yStep) * yStep; v <= yd[1] + yStep * 1e-9; v += yStep) {
      double y = py(v);
      sb.append(line("grid", LEFT, y, LEFT + PLOT_WIDTH, y));
      sb.append(text("tick", LEFT - 6, y + 4, "end", format.apply(v)));
    }
    sb.append(line("axis", LEFT, TOP + PLOT_HEIGHT, LEFT + PLOT_WIDTH, TOP + PLOT_HEIGHT));
    sb.append(line("axis", LEFT, TOP, LEFT, TOP + PLOT_HEIGHT));
    sb.append(text("unit", 4, TOP - 8, "start", unit));
    sb.append(text("unit", LEFT + PLOT_WIDTH, HEIGHT - 4, "end", "time since start"));
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < xs.length; i++) {
      points
          .append(i == 0 ? "" : " ")
          .append(coord(px(xs[i])))
          .append(',')
          .append(coord(py(ys[i])));
    }
    sb.append("<polyline class=\"series\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.5\"")
        .append(" points=\"")
        .append(points)
        .append("\"/>\n");
    for (Curve c : curves) {
      StringBuilder more = new StringBuilder();
      for (int i = 0; i < c.xs().length; i++) {
        more.append(i == 0 ? "" : " ")
            .append(coord(px(c.xs()[i])))
            .append(',')
            .append(coord(py(c.ys()[i])));
      }
      sb.append("<polyline class=\"series-more\" fill=\"none\" stroke=\"#7aa6d6\"")
          .append(" stroke-width=\"1\" data-label=\"")
          .append(escape(c.label()))
          .append("\" points=\"")
          .append(more)
          .append("\"/>\n");
      int last = c.xs().length - 1;
      if (last >= 0) {
        sb.append(
            text("series-label", px(c.xs()[last]) - 4, py(c.ys()[last]) - 4, "end", c.label()));
      }
    }
    for (Segment s : segments) {
      double x0 = Double.isNaN(s.x0()) ? xd[0] : s.x0();
      double x1 = Double.isNaN(s.x1()) ? xd[1] : s.x1();
      boolean trend = "trend".equals(s.cssClass());
      sb.append("<line class=\"")
          .append(escape(s.cssClass()))
          .append("\" x1=\"")
          .append(coord(px(x0)))
          .append("\" y1=\"")
          .append(coord(py(s.y0())))
          .append("\" x2=\"")
          .append(coord(px(x1)))
          .append("\" y2=\"")
          .append(coord(py(s.y1())))
          .append(trend ? "\" stroke=\"#8a4fbf\"" : "\" stroke=\"#c62828\"")
          .append(" stroke-width=\"1.5\" stroke-dasharray=\"")
          .append(trend ? "2,3" : "6,4")
          .append("\"/>\n");
      sb.append(text(s.cssClass() + "-label", px(x1) - 4, py(s.y1()) - 5, "end", s.label()));
    }
    return sb.append("</svg>\n").toString();
  }

  /**
   * Renders an empty frame saying why there is no data: a series the run did not record.
   *
   * @param id the svg element's id
   * @param title the chart's title
   * @param reason the sentence drawn in the middle, e.g. "not recorded in this run"
   * @return an {@code <svg>} element with no polyline
   */
  public static String notRecorded(String id, String title, String reason) {
    SvgChart chart = of(id, title, "");
    StringBuilder sb = chart.open(new double[] {0, 1}, new double[] {0, 1});
    sb.append("<rect class=\"frame\" x=\"")
        .append(LEFT)
        .append("\" y=\"")
        .append(TOP)
        .append("\" width=\"")
        .append(PLOT_WIDTH)
        .append("\" height=\"")
        .append(PLOT_HEIGHT)
        .append("\" fill=\"#f4f4f4\" stroke=\"#bbb\"/>\n");
    sb.append(
        text("not-recorded", LEFT + PLOT_WIDTH / 2.0, TOP + PLOT_HEIGHT / 2.0, "middle", reason));
    return sb.append("</svg>\n").toString();
  }

  /**
   * Escapes text for XML content and attribute values.
   *
   * @param text any text
   * @return the text with {@code & < > " '} escaped
   */
  public static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            sb.append('\uFFFD'); // control characters are not allowed in XML 1.0
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  /**
   * Writes a number for a label: an integer without a fraction, otherwise up to three decimals.
   *
   * @param value the number
   * @return its shortest readable form
   */
  public static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    String s = String.format(Locale.ROOT, "%.3f", value);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * Returns a round step (1, 2 or 5 times a power of ten) at least {@code raw}.
   *
   * @param raw the smallest acceptable step; positive
   * @return the step
   */
  static double niceStep(double raw) {
    if (!(raw > 0) || Double.isInfinite(raw)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * power >= raw * (1 - 1e-12)) {
        return m * power;
      }
    }
    return 10 * power;
  }

  private StringBuilder open(double[] xd, double[] yd) {
    StringBuilder sb = new StringBuilder();
    sb.append("<svg id=\"")
        .append(escape(id))
        .append("\" class=\"chart\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" role=\"img\" data-x-min=\"")
        .append(xd[0])
        .append("\" data-x-max=\"")
        .append(xd[1])
        .append("\" data-y-min=\"")
        .append(yd[0])
        .append("\" data-y-max=\"")
        .append(yd[1])
        .append("\">\n<title>")
        .append(escape(title))
        .append("</title>\n");
    sb.append(text("title", LEFT, 18, "start", title));
    return sb;
  }

  private double[] xDomain() {
    if (xRange != null) {
      return xRange;
    }
    double max = 0;
    for (double x : xs) {
      max = Math.max(max, x);
    }
    for (Segment s : segments) {
      max = Math.max(max, Double.isNaN(s.x1()) ? 0 : s.x1());
    }
    for (Curve c : curves) {
      for (double x : c.xs()) {
        max = Math.max(max, x);
      }
    }
    return new double[] {0, max > 0 ? max : 1};
  }

  private double[] yDomain() {
    if (yRange != null) {
      return yRange;
    }
    double min = 0;
    double max = 0;
    for (double y : ys) {
      min = Math.min(min, y);
      max = Math.max(max, y);
    }
    for (Segment s : segments) {
      min = Math.min(min, Math.min(s.y0(), s.y1()));
      max = Math.max(max, Math.max(s.y0(), s.y1()));
    }
    for (Curve c : curves) {
      for (double y : c.ys()) {
        min = Math.min(min, y);
        max = Math.max(max, y);
      }
    }
    if (max <= min) {
      max = min + 1;
    }
    double step = niceStep((max - min) / 5);
    return new double[] {Math.floor(min / step) * step, Math.ceil(max * 1.05 / step) * step};
  }

  private static String line(String cssClass, double x1, double y1, double x2, double y2) {
    return "<line class=\""
        + cssClass
        + "\" x1=\""
        + coord(x1)
        + "\" y1=\""
        + coord(y1)
        + "\" x2=\""
        + coord(x2)
        + "\" y2=\""
        + coord(y2)
        + ("grid".equals(cssClass) ? "\" stroke=\"#e3e3e3\"/>\n" : "\" stroke=\"#555\"/>\n");
  }

  private static String text(String cssClass, double x, double y, String anchor, String content) {
    return "<text class=\""
        + escape(cssClass)
        + "\" x=\""
        + coord(x)
        + "\" y=\""
        + coord(y)
        + "\" text-anchor=\""
        + anchor
        + "\">"
        + escape(content)
        + "</text>\n";
  }

  /** A pixel coordinate with two decimals: enough for a 640-pixel chart, and diffable. */
  static String coord(double pixel) {
    return String.format(Locale.ROOT, "%.2f", pixel);
  }
}
