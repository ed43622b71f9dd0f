package io.jenkins.plugins.cloudfrontdeploy.engine.testutil;

import io.jenkins.plugins.cloudfrontdeploy.engine.testutil.FakeCloudFront.Invalidation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The REST-XML wire format of CloudFront API 2020-05-31, as far as {@link FakeCloudFront} speaks it; its error shape
 * and element writer serve {@link FakeSts} too, as AWS answers both protocols with the same {@code ErrorResponse}.
 */
final class CloudFrontXml {
    static final String NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
    static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    private CloudFrontXml() {}

    /** An error the service answers with: the SDK picks the exception class by {@code code} alone (REST-XML and Query). */
    static final class ServiceError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        ServiceError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /** A parsed {@code InvalidationBatch}. */
    record Batch(String callerReference, List<String> paths) {}

    static ServiceError invalidArgument(String message) {
        return new ServiceError(400, "InvalidArgument", message);
    }

    static Batch parseBatch(byte[] body) {
        if (body.length == 0) {
            throw new ServiceError(400, "MissingBody", "This operation requires a body.");
        }
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // the request is untrusted input even in a fake: no DTDs, hence no external entities
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            root = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(body))
                    .getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw invalidArgument("The XML you provided was not well-formed.");
        }
        Element paths = child(root, "Paths");
        Element quantity = child(paths, "Quantity");
        Element reference = child(root, "CallerReference");
        if (!"InvalidationBatch".equals(root.getLocalName()) || quantity == null || reference == null) {
            throw invalidArgument("An InvalidationBatch needs Paths/Quantity and a CallerReference.");
        }
        int declared;
        try {
            declared = Integer.parseInt(quantity.getTextContent().trim());
        } catch (NumberFormatException e) {
            throw invalidArgument("Quantity must be a number.");
        }
        List<String> items = new ArrayList<>();
        Element itemsElement = child(paths, "Items");
        for (Node n = itemsElement == null ? null : itemsElement.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && NS.equals(e.getNamespaceURI()) && "Path".equals(e.getLocalName())) {
                items.add(e.getTextContent());
            }
        }
        if (declared != items.size()) {
            throw new ServiceError(
                    400, "InconsistentQuantities", "The value of Quantity and the size of Items don't match.");
        }
        return new Batch(reference.getTextContent(), items);
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && NS.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    static String invalidation(Invalidation inv) {
        StringBuilder xml = new StringBuilder(PROLOG).append("<Invalidation xmlns=\"" + NS + "\">");
        element(xml, "Id", inv.id());
        element(xml, "Status", inv.status());
        element(xml, "CreateTime", inv.createTime().toString());
        xml.append("<InvalidationBatch><Paths>");
        element(xml, "Quantity", String.valueOf(inv.paths().size()));
        xml.append("<Items>");
        inv.paths().forEach(p -> element(xml, "Path", p));
        xml.append("</Items></Paths>");
        element(xml, "CallerReference", inv.callerReference());
        return xml.append("</InvalidationBatch></Invalidation>").toString();
    }

    /** A GetDistribution answer: the fields the SDK needs to hand back the origins' domain names. */
    static String distribution(String id, List<String> origins) {
        StringBuilder xml = new StringBuilder(PROLOG).append("<Distribution xmlns=\"" + NS + "\">");
        element(xml, "Id", id);
        element(xml, "ARN", "arn:aws:cloudfront::123456789012:distribution/" + id);
        element(xml, "Status", "Deployed");
        element(xml, "InProgressInvalidationBatches", "0");
        element(xml, "DomainName", id.toLowerCase(java.util.Locale.ROOT) + ".cloudfront.net");
        xml.append("<DistributionConfig>");
        element(xml, "CallerReference", "fake-" + id);
        xml.append("<Origins>");
        element(xml, "Quantity", String.valueOf(origins.size()));
        xml.append("<Items>");
        for (int i = 0; i < origins.size(); i++) {
            xml.append("<Origin>");
            element(xml, "Id", "origin-" + (i + 1));
            element(xml, "DomainName", origins.get(i));
            element(xml, "OriginPath", "");
            xml.append("</Origin>");
        }
        xml.append("</Items></Origins>");
        element(xml, "Comment", "");
        element(xml, "Enabled", "true");
        return xml.append("</DistributionConfig></Distribution>").toString();
    }

    /** {@code nextMarker} is null when the page is the last one: the element is then left out. */
    static String list(String marker, int maxItems, List<Invalidation> page, String nextMarker) {
        StringBuilder xml = new StringBuilder(PROLOG).append("<InvalidationList xmlns=\"" + NS + "\">");
        element(xml, "Marker", marker);
        if (nextMarker != null) {
            element(xml, "NextMarker", nextMarker);
        }
        element(xml, "MaxItems", String.valueOf(maxItems));
        element(xml, "IsTruncated", String.valueOf(nextMarker != null));
        element(xml, "Quantity", String.valueOf(page.size()));
        xml.append("<Items>");
        for (Invalidation inv : page) {
            xml.append("<InvalidationSummary>");
            element(xml, "Id", inv.id());
            element(xml, "CreateTime", inv.createTime().toString());
            element(xml, "Status", inv.status());
            xml.append("</InvalidationSummary>");
        }
        return xml.append("</Items></InvalidationList>").toString();
    }

    static String error(ServiceError e, String requestId) {
        return error(NS, e, requestId);
    }

    /** AWS's {@code ErrorResponse} in the namespace of the service answering. */
    static String error(String namespace, ServiceError e, String requestId) {
        StringBuilder xml = new StringBuilder(PROLOG).append("<ErrorResponse xmlns=\"" + namespace + "\"><Error>");
        element(xml, "Type", e.status >= 500 ? "Receiver" : "Sender");
        element(xml, "Code", e.code);
        element(xml, "Message", e.getMessage());
        xml.append("</Error>");
        element(xml, "RequestId", requestId);
        return xml.append("</ErrorResponse>").toString();
    }

    static void element(StringBuilder xml, String name, String text) {
        xml.append('<').append(name).append('>');
        text.chars().forEach(c -> {
            switch (c) {
                case '&' -> xml.append("&amp;");
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                default -> xml.append((char) c);
            }
        });
        xml.append("</").append(name).append('>');
    }
}
