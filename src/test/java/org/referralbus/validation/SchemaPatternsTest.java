package org.referralbus.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.referralbus.support.ReferralExamples;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * Issue 10, finding 1: the schema's own patterns must cost time linear in the value, whatever its length. These
 * tests validate with the bare schema, without the text-length limit of {@link ReferralReader}, so each pattern is
 * proven on its own: a 200 000-character value of a hostile shape is judged well under a second. Before the fix,
 * {@code createdAt} of 'T' × 200 000 took 15 s ({@code .+T.+(Z|…)} tries every split).
 */
class SchemaPatternsTest {

    private static final int LONG = 200_000;
    private static final Duration BOUND = Duration.ofSeconds(1);

    /**
     * Every {@code xs:pattern} in both schemas, by simple type, as reviewed for backtracking. Each is anchored
     * (XSD patterns match the whole value), and no quantified part can match the same characters in two ways: a
     * mismatch is found after one pass. Adding or changing a pattern fails this test until it is reviewed here and
     * given hostile values below.
     */
    static final Map<String, String> REVIEWED_PATTERNS = Map.of(
            "referral-v1.xsd#Uuid", "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            "referral-v1.xsd#OffsetDateTime", "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+\\-](0[0-9]|1[0-4]):[0-5][0-9])",
            "referral-v1.xsd#Date", "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+\\-](0[0-9]|1[0-4]):[0-5][0-9])?",
            "referral-v1.xsd#ParticipantId", "[a-z0-9][a-z0-9\\-]{1,62}",
            "referral-v1.xsd#CountryCode", "[A-Z]{2}",
            "referral-v1.xsd#LanguageCode", "[a-z]{2,3}",
            "referral-v1.xsd#Phone", "\\+?[0-9 ()\\-]{5,30}");

    /** Shapes that make a backtracking matcher try many splits of a long value. */
    private static final List<String> SHAPES = List.of(
            "T".repeat(LONG),
            "0".repeat(LONG),
            "2026-02-14T" + "0".repeat(LONG),
            "2026-02-14T09:42:17." + "0".repeat(LONG) + "x",
            "T0".repeat(LONG / 2) + "+05:0",
            "a".repeat(LONG),
            "-".repeat(LONG),
            "+" + "( )-".repeat(LONG / 4) + "x");

    private static final Schema REFERRAL = schema("referral-v1.xsd");
    private static final Schema DELIVERY = schema("delivery-v1.xsd");

    record Field(String name, UnaryOperator<String> with) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Field> patternedReferralFields() {
        return Stream.of(
                element("referralId"),
                element("createdAt"),
                new Field("sender/@agencyId", v -> example().replaceFirst("agencyId=\"[^\"]+\"", "agencyId=\"" + v + "\"")),
                element("date"),
                element("birthDate"),
                element("nationality"),
                element("language"),
                element("from"),
                element("to"),
                new Field("phone", v -> example().replaceFirst("</location>", "</location><phone>" + v + "</phone>")),
                new Field("relatedReferralId", v -> example().replaceFirst("</urgency>",
                        "</urgency><relatedReferralId>" + v + "</relatedReferralId>")),
                new Field("supersedes", v -> example().replaceFirst("</urgency>", "</urgency><supersedes>" + v + "</supersedes>")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patternedReferralFields")
    void everyPatternedReferralFieldIsJudgedInLinearTime(Field field) {
        for (String shape : SHAPES) {
            assertRefusedWithin(REFERRAL, field.with().apply(shape), field + " of " + describe(shape));
        }
    }

    @Test
    void deliveredAtAndProviderIdOfADeliveryAreJudgedInLinearTime() {
        for (String shape : SHAPES) {
            assertRefusedWithin(DELIVERY, delivery("<deliveredAt>" + shape + "</deliveredAt>", "shelter-dushanbe"),
                    "deliveredAt of " + describe(shape));
            assertRefusedWithin(DELIVERY, delivery("<deliveredAt>2026-02-14T09:42:17Z</deliveredAt>", shape),
                    "providerId of " + describe(shape));
        }
    }

    @Test
    void exactDatePatternsStillAcceptWhatAgenciesSend() {
        for (String createdAt : List.of("2026-02-14T09:42:17+05:00", "2026-02-14T09:42:17Z", "2026-02-14T09:42:17.123456789-03:30",
                "2026-12-31T23:59:59.5+14:00")) {
            assertThat(errors(REFERRAL, element("createdAt").with().apply(createdAt))).as(createdAt).isEmpty();
        }
        for (String date : List.of("1998-04-12", "1998-04-12Z", "1998-04-12+05:00")) {
            assertThat(errors(REFERRAL, element("birthDate").with().apply(date))).as(date).isEmpty();
        }
    }

    @Test
    void exactDatePatternsRefuseWhatXsDateTimeAloneWouldLetThrough() {
        for (String createdAt : List.of("2026-02-14T09:42:17", "-2026-02-14T09:42:17Z", "12026-02-14T09:42:17Z",
                "2026-02-14T24:00:00Z", "2026-02-14T09:42:17.1234567890Z", " 2026-02-14T09:42:17Z x")) {
            assertThat(errors(REFERRAL, element("createdAt").with().apply(createdAt))).as(createdAt).isNotEmpty();
        }
        for (String date : List.of("-1998-04-12", "11998-04-12", "1998-4-12")) {
            assertThat(errors(REFERRAL, element("birthDate").with().apply(date))).as(date).isNotEmpty();
        }
    }

    @Test
    void everyPatternInBothSchemasHasBeenReviewed() throws Exception {
        Map<String, String> found = new TreeMap<>();
        for (String file : List.of("referral-v1.xsd", "delivery-v1.xsd")) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList patterns = factory.newDocumentBuilder().parse(Path.of("schemas", file).toFile())
                    .getElementsByTagNameNS(XMLConstants.W3C_XML_SCHEMA_NS_URI, "pattern");
            for (int i = 0; i < patterns.getLength(); i++) {
                Element pattern = (Element) patterns.item(i);
                Element type = (Element) pattern.getParentNode().getParentNode();
                found.put(file + "#" + type.getAttribute("name"), pattern.getAttribute("value"));
            }
        }

        assertThat(found).isEqualTo(new TreeMap<>(REVIEWED_PATTERNS));
    }

    private static void assertRefusedWithin(Schema schema, String xml, String what) {
        long started = System.nanoTime();
        List<String> errors = errors(schema, xml);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(errors).as(what).isNotEmpty();
        assertThat(took).as(what + " judged in linear time").isLessThan(BOUND);
    }

    private static List<String> errors(Schema schema, String xml) {
        List<String> errors = new ArrayList<>();
        Validator validator = schema.newValidator();
        validator.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) {
                errors.add(e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) {
                errors.add(e.getMessage());
            }
        });
        try {
            validator.validate(new StreamSource(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
        } catch (Exception e) {
            errors.add(String.valueOf(e.getMessage()));
        }
        return errors;
    }

    private static Field element(String name) {
        return new Field(name, v -> example().replaceFirst("<" + name + ">[^<]*</" + name + ">", "<" + name + ">" + v + "</" + name + ">"));
    }

    private static String example() {
        return ReferralExamples.example("border-service-adult-woman-shelter-dushanbe");
    }

    private static String delivery(String deliveredAt, String providerId) {
        return """
                <delivery xmlns="urn:referral-bus:delivery:1" xmlns:r="urn:referral-bus:referral:1">
                  <deliveryId>0d7a6f3e-2a8b-4b8e-9a51-2f5c1f0e7b11</deliveryId>
                  <referralId>a51fd049-45b8-4e8e-ad45-f8deb271a48a</referralId>
                  <provider providerId="%s"/>
                  <sender agencyId="border-service"/>
                  %s
                  <category>PRESUMED_VICTIM</category>
                  <urgency>URGENT</urgency>
                  <services><service>SHELTER</service></services>
                </delivery>""".formatted(providerId, deliveredAt);
    }

    private static String describe(String shape) {
        return "'" + shape.substring(0, Math.min(12, shape.length())) + "…' (" + shape.length() + " chars)";
    }

    private static Schema schema(String file) {
        try {
            return HardenedXml.compileSchema(Path.of("schemas", file).toUri().toURL());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
