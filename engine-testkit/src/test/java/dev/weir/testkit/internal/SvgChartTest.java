package dev.weir.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Exact coordinates, ticks and escaping of the server-side SVG line chart. */
class SvgChartTest {

  /** x 0..10 s onto pixels 80..620, y 0..100 onto pixels 210..30. */
  private static SvgChart tenByHundred() {
    return SvgChart.of("c", "t", "u").xRange(0, 10).yRange(0, 100);
  }

  @Test
  void knownPoints_landOnTheirPixels() {
    SvgChart chart = tenByHundred();

    assertThat(chart.px(0)).isEqualTo(80.0);
    assertThat(chart.px(5)).isEqualTo(350.0);
    assertThat(chart.px(10)).isEqualTo(620.0);
    assertThat(chart.py(0)).isEqualTo(210.0);
    assertThat(chart.py(50)).isEqualTo(120.0);
    assertThat(chart.py(100)).isEqualTo(30.0);
  }

  @Test
  void polyline_hasOnePointPerValue_inOrder() {
    String svg = tenByHundred().data(new double[] {0, 5, 10}, new double[] {0, 50, 100}).render();

    assertThat(svg).contains("points=\"80.00,210.00 350.00,120.00 620.00,30.00\"");
  }

  @Test
  void threshold_isAHorizontalLineAcrossThePlot_atItsValue() {
    String svg =
        tenByHundred().data(new double[] {1}, new double[] {1}).threshold(25, "max").render();

    assertThat(svg)
        .contains(
            "<line class=\"threshold\" x1=\"80.00\" y1=\"165.00\" x2=\"620.00\" y2=\"165.00\"");
    assertThat(svg).contains(">max</text>");
  }

  @Test
  void trend_isDrawnBetweenItsEndPoints() {
    String svg =
        tenByHundred()
            .data(new double[] {1}, new double[] {1})
            .line("trend", "fit", 2, 10, 8, 90)
            .render();

    assertThat(svg)
        .contains("<line class=\"trend\" x1=\"188.00\" y1=\"192.00\" x2=\"512.00\" y2=\"48.00\"");
  }

  @Test
  void ticks_areRoundNumbers_withTheirUnits() {
    String svg =
        tenByHundred()
            .data(new double[] {0}, new double[] {0})
            .format(v -> SvgChart.number(v) + " MiB")
            .render();

    assertThat(svg).contains(">0 s<", ">2 s<", ">10 s<", ">0 MiB<", ">20 MiB<", ">100 MiB<");
    assertThat(svg).doesNotContain(">1 s<", ">12 s<", ">120 MiB<");
    assertThat(svg).contains(">u</text>", ">time since start</text>");
  }

  @Test
  void domain_withoutARange_startsAtZeroAndEndsAtARoundNumberAboveTheData() {
    SvgChart chart = SvgChart.of("c", "t", "u").data(new double[] {0, 4}, new double[] {30, 93});

    assertThat(chart.py(0)).isEqualTo(210.0);
    assertThat(chart.py(100)).isEqualTo(30.0);
    assertThat(chart.px(4)).isEqualTo(620.0);
  }

  @Test
  void niceStep_isOneTwoOrFiveTimesAPowerOfTen() {
    assertThat(SvgChart.niceStep(0.3)).isEqualTo(0.5);
    assertThat(SvgChart.niceStep(1)).isEqualTo(1.0);
    assertThat(SvgChart.niceStep(1.7)).isEqualTo(2.0);
    assertThat(SvgChart.niceStep(7)).isEqualTo(10.0);
    assertThat(SvgChart.niceStep(18.6)).isEqualTo(20.0);
  }

  @Test
  void text_isEscaped_andTheSvgStaysWellFormed() throws Exception {
    String title = "a<b & \"c\" 'd'\u0001";
    String svg =
        SvgChart.of("x\"y", title, "<u>")
            .data(new double[] {1}, new double[] {1})
            .threshold(1, "<&>")
            .render();

    assertThat(svg)
        .contains("a&lt;b &amp; &quot;c&quot; &#39;d&#39;\uFFFD", "&lt;u&gt;", "&lt;&amp;&gt;");
    assertThat(svg).doesNotContain("a<b", "<u>", "<&>");
    Element root = parse(svg).getDocumentElement();
    assertThat(root.getAttribute("id")).isEqualTo("x\"y");
    assertThat(root.getElementsByTagName("title").item(0).getTextContent())
        .isEqualTo("a<b & \"c\" 'd'\uFFFD");
  }

  @Test
  void notRecorded_saysSo_andDrawsNoLine() throws Exception {
    String svg = SvgChart.notRecorded("lat", "Latency", "not recorded in this run");

    Document doc = parse(svg);
    assertThat(doc.getElementsByTagName("polyline").getLength()).isZero();
    assertThat(doc.getDocumentElement().getTextContent()).contains("not recorded in this run");
  }

  @Test
  void number_dropsTrailingZeros() {
    assertThat(SvgChart.number(2)).isEqualTo("2");
    assertThat(SvgChart.number(2.5)).isEqualTo("2.5");
    assertThat(SvgChart.number(0.125)).isEqualTo("0.125");
    assertThat(SvgChart.number(104857600)).isEqualTo("104857600");
  }

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }
}
