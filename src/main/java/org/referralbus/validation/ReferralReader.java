package org.referralbus.validation;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.JAXBIntrospector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.transform.sax.SAXSource;
import javax.xml.validation.Schema;
import javax.xml.validation.Validator;
import org.referralbus.schema.referral.ReferralType;
import org.springframework.stereotype.Component;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Validates referral XML against {@code referral-v1.xsd}, collecting every violation, then binds it. Both passes use
 * the same hardened parser, which refuses DOCTYPEs, so the content validated is exactly the content bound. The parser
 * refuses over-long text and attribute values before the validator sees them ({@link TextLengthLimit}).
 */
@Component
public class ReferralReader {

    static final String SCHEMA_RESOURCE = "schemas/referral-v1.xsd";
    /** A hostile document can violate the schema once per element: the answer stays small. */
    static final int MAX_VIOLATIONS = 50;
    /** Parser messages quote the offending value, which may be megabytes long. */
    static final int MAX_MESSAGE_CHARS = 300;

    private final JAXBContext context;
    private final Schema schema;
    private final ReferralMapper mapper = new ReferralMapper();

    public ReferralReader() {
        try {
            this.context = JAXBContext.newInstance(ReferralType.class.getPackageName(), ReferralType.class.getClassLoader());
            this.schema = HardenedXml.compileSchema(getClass().getClassLoader().getResource(SCHEMA_RESOURCE));
        } catch (JAXBException | SAXException e) {
            throw new IllegalStateException("Cannot load " + SCHEMA_RESOURCE, e);
        }
    }

    public Referral read(byte[] xml) {
        validate(xml);
        Object bound;
        try {
            bound = context.createUnmarshaller().unmarshal(source(xml));
        } catch (JAXBException e) {
            throw new SchemaViolationException(List.of(new Violation(0, 0, "The referral could not be read")));
        }
        if (!(JAXBIntrospector.getValue(bound) instanceof ReferralType document)) {
            throw new SchemaViolationException(List.of(new Violation(1, 1, "The root element must be referral")));
        }
        return mapper.map(document);
    }

    /** Validates against the schema and reports every violation (binding alone would stop at the first). */
    private void validate(byte[] xml) {
        List<Violation> violations = new ArrayList<>();
        Validator validator = schema.newValidator();
        validator.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) throws SAXException {
                violations.add(toViolation(e));
                if (violations.size() >= MAX_VIOLATIONS) {
                    throw e;
                }
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                violations.add(toViolation(e));
                throw e;
            }
        });
        try {
            validator.validate(source(xml));
        } catch (SAXParseException e) {
            if (violations.isEmpty() || e instanceof TextLengthLimit.TooLong) {
                violations.add(toViolation(e));
            }
        } catch (SAXException | IOException e) {
            violations.add(new Violation(0, 0, "The referral is not well-formed XML"));
        }
        if (!violations.isEmpty()) {
            throw new SchemaViolationException(violations);
        }
    }

    private static SAXSource source(byte[] xml) {
        return new SAXSource(HardenedXml.newReader(), new InputSource(new ByteArrayInputStream(xml)));
    }

    private static Violation toViolation(SAXParseException e) {
        String message = String.valueOf(e.getMessage());
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "…";
        }
        return new Violation(e.getLineNumber(), e.getColumnNumber(), message);
    }
}
