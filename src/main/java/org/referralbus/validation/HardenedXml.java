package org.referralbus.validation;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Implementation note: every XML byte the bus reads goes through a reader built here. DOCTYPEs are refused outright
 * (this alone stops XXE, billion laughs and entity tricks that make validated and unmarshalled content differ),
 * external DTDs and schemas are never fetched, and secure processing bounds what the parser will expand. Element
 * nesting is capped at {@value #MAX_ELEMENT_DEPTH} (a referral needs fewer than 10 levels): a 10 000-deep
 * document is refused at the first level too many instead of being walked. Every element's text and every attribute
 * value is capped in length ({@link TextLengthLimit}) before the schema validator or JAXB sees it.
 */
final class HardenedXml {

    static final int MAX_ELEMENT_DEPTH = 32;
    private static final String MAX_ELEMENT_DEPTH_PROPERTY = "http://www.oracle.com/xml/jaxp/properties/maxElementDepth";
    private static final SAXParserFactory PARSERS = createParserFactory();

    private HardenedXml() {
    }

    static XMLReader newReader() {
        try {
            XMLReader parser = PARSERS.newSAXParser().getXMLReader();
            parser.setProperty(MAX_ELEMENT_DEPTH_PROPERTY, String.valueOf(MAX_ELEMENT_DEPTH));
            return new TextLengthLimit(parser);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("The JDK XML parser lacks a required security feature", e);
        }
    }

    /** Compiles a schema from trusted local files only; imports may resolve relative to the file, never remotely. */
    static Schema compileSchema(java.net.URL schemaLocation) throws SAXException {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "file,jar:file");
        return factory.newSchema(schemaLocation);
    }

    private static SAXParserFactory createParserFactory() {
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setXIncludeAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return factory;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("The JDK XML parser lacks a required security feature", e);
        }
    }
}
