package org.referralbus.validation;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import java.io.ByteArrayInputStream;
import java.util.Optional;
import javax.xml.transform.sax.SAXSource;
import org.referralbus.schema.delivery.DeliveryType;
import org.xml.sax.InputSource;

/**
 * Binds a delivery document ({@code delivery-v1.xsd}) through the same hardened parser as every other XML the bus's code
 * reads ({@link HardenedXml}). Not validated again: it is the bus's own document, read after its signature was checked.
 */
public final class DeliveryReader {

    private DeliveryReader() {
    }

    /** The delivery, or empty if it does not read as one. */
    public static Optional<DeliveryType> read(byte[] xml) {
        try {
            return Optional.of(Context.DELIVERY.createUnmarshaller()
                    .unmarshal(new SAXSource(HardenedXml.newReader(), new InputSource(new ByteArrayInputStream(xml))), DeliveryType.class)
                    .getValue());
        } catch (JAXBException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Built on first use: the command line needs it only for a copy its inbox no longer lists. */
    private static final class Context {
        static final JAXBContext DELIVERY = create();

        private static JAXBContext create() {
            try {
                return JAXBContext.newInstance(DeliveryType.class);
            } catch (JAXBException e) {
                throw new IllegalStateException("Cannot load the delivery schema's classes", e);
            }
        }
    }
}
