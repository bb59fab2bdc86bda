package k210studio.converter.evaluate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Pascal VOC annotation files ({@code <annotation><object><name>…<difficult>…<bndbox><xmin>…}), as LabelImg, CVAT
 * and the VOC devkit write them. Coordinates are 1-based inclusive pixel indices (the devkit's convention); they may
 * be written as decimals. DTDs and external entities are refused.
 */
public final class VocXml {
    private VocXml() {
    }

    /** One object as the file names it. */
    public record NamedBox(String name, float x, float y, float w, float h, boolean difficult) {
    }

    public static List<NamedBox> read(Path file) throws EvaluateException {
        Document doc;
        try (InputStream in = Files.newInputStream(file)) {
            doc = builder().parse(in);
        } catch (IOException e) {
            throw new EvaluateException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (SAXException e) {
            throw new EvaluateException(file.getFileName() + " is not a Pascal VOC XML file (" + e.getMessage()
                    + "): fix or remove it", e);
        }
        Element root = doc.getDocumentElement();
        if (!"annotation".equals(root.getTagName())) {
            throw new EvaluateException(file.getFileName() + " is XML but not a Pascal VOC annotation (its root is <"
                    + root.getTagName() + ">, not <annotation>)");
        }
        List<NamedBox> out = new ArrayList<>();
        NodeList objects = root.getElementsByTagName("object");
        for (int i = 0; i < objects.getLength(); i++) {
            Element o = (Element) objects.item(i);
            String name = text(o, "name");
            Element box = child(o, "bndbox");
            if (name == null || name.isBlank() || box == null) {
                throw new EvaluateException(file.getFileName() + ": object " + (i + 1) + " has no <name> or no <bndbox>");
            }
            float xmin = number(file, box, "xmin");
            float ymin = number(file, box, "ymin");
            float xmax = number(file, box, "xmax");
            float ymax = number(file, box, "ymax");
            if (xmax < xmin || ymax < ymin) {
                throw new EvaluateException(file.getFileName() + ": object " + (i + 1) + " (" + name.trim() + ") has xmax < xmin or ymax < ymin");
            }
            String d = text(o, "difficult");
            out.add(new NamedBox(name.trim(), xmin - 1, ymin - 1, xmax - xmin + 1, ymax - ymin + 1, d != null && d.trim().equals("1")));
        }
        return out;
    }

    private static DocumentBuilder builder() throws EvaluateException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new EvaluateException("no XML parser: " + e.getMessage(), e);
        }
    }

    private static Element child(Element e, String tag) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) {
                return c;
            }
        }
        return null;
    }

    private static String text(Element e, String tag) {
        Element c = child(e, tag);
        return c == null ? null : c.getTextContent();
    }

    private static float number(Path file, Element box, String tag) throws EvaluateException {
        String s = text(box, tag);
        try {
            float v = Float.parseFloat(s == null ? "" : s.trim());
            if (!Float.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new EvaluateException(file.getFileName() + ": <" + tag + "> is '" + s + "', not a number");
        }
    }
}
