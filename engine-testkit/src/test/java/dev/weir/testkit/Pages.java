package dev.weir.testkit;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads the reports' XHTML pages with the JDK's XML parser, for the report tests. */
final class Pages {

  private Pages() {}

  static Document parse(Path page) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(page.toFile());
  }

  static Element byId(Document doc, String id) {
    NodeList all = doc.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (id.equals(e.getAttribute("id"))) {
        return e;
      }
    }
    throw new AssertionError("no element with id " + id);
  }

  static Element line(Element svg, String cssClass) {
    NodeList lines = svg.getElementsByTagName("line");
    for (int i = 0; i < lines.getLength(); i++) {
      Element e = (Element) lines.item(i);
      if (cssClass.equals(e.getAttribute("class"))) {
        return e;
      }
    }
    throw new AssertionError("no " + cssClass + " line in " + svg.getAttribute("id"));
  }
}
