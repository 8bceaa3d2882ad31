package org.referralbus.validation;

import java.util.ArrayDeque;
import java.util.Deque;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * Implementation note: sits between the parser and whoever consumes its events (the schema validator, JAXB) and
 * refuses any element's text longer than {@value #MAX_TEXT_CHARS} characters, or any attribute value longer than
 * {@value #MAX_ATTRIBUTE_CHARS}, as soon as the limit is crossed, so nothing downstream ever judges a longer value
 * (issue 10: a schema pattern that backtracks costs time growing with the square of the length). The bounds are
 * above anything the schema accepts: its longest value is notes, at most 10 000 characters; its longest attribute
 * is a participant id of 63. Characters are counted in code points, never more than the validator counts (the JDK's
 * counts UTF-16 units), so nothing the schema accepts is refused here. The count runs
 * over an element's whole text between tags: comments and processing instructions do not restart it, since the
 * validator joins the pieces around them into one value.
 */
final class TextLengthLimit extends XMLFilterImpl {

    static final int MAX_TEXT_CHARS = 10_000;
    static final int MAX_ATTRIBUTE_CHARS = 1_000;

    private final Deque<String> elements = new ArrayDeque<>();
    private Locator locator;
    private int textChars;

    TextLengthLimit(XMLReader parser) {
        super(parser);
    }

    @Override
    public void setDocumentLocator(Locator locator) {
        this.locator = locator;
        super.setDocumentLocator(locator);
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
        for (int i = 0; i < attributes.getLength(); i++) {
            if (attributes.getValue(i).length() > MAX_ATTRIBUTE_CHARS) {
                throw new TooLong("Attribute " + attributes.getLocalName(i) + " of element " + localName
                        + " is longer than " + MAX_ATTRIBUTE_CHARS + " characters: refused before schema validation", locator);
            }
        }
        elements.push(localName);
        textChars = 0;
        super.startElement(uri, localName, qName, attributes);
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        elements.poll();
        textChars = 0;
        super.endElement(uri, localName, qName);
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        count(ch, start, length);
        super.characters(ch, start, length);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        count(ch, start, length);
        super.ignorableWhitespace(ch, start, length);
    }

    private void count(char[] ch, int start, int length) throws TooLong {
        for (int i = start; i < start + length; i++) {
            if (!Character.isLowSurrogate(ch[i])) {
                textChars++;
            }
        }
        if (textChars > MAX_TEXT_CHARS) {
            String where = elements.isEmpty() ? "outside the root element" : "of element " + elements.peek();
            throw new TooLong("Text " + where + " is longer than " + MAX_TEXT_CHARS
                    + " characters: refused before schema validation", locator);
        }
    }

    /** The limit was crossed; the message names the element, never its content. */
    static final class TooLong extends SAXParseException {

        private static final long serialVersionUID = 1L;

        TooLong(String message, Locator locator) {
            super(message, locator);
        }
    }
}
