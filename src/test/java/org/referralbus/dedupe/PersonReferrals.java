package org.referralbus.dedupe;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Referral XML about one synthetic person, for case-linking tests. Each person gets a birth year of its own (three
 * years from the previous one), so tests sharing a database never link to each other's cases by accident.
 */
final class PersonReferrals {

    /**
     * From 1920, so that the 30 or so persons the tests of one JVM ask for are all adults: from 1950 the 21st was a minor
     * (a child-protection copy more) and the 26th would be born in the future.
     */
    private static final AtomicInteger NEXT_YEAR = new AtomicInteger(1920 + (int) (Math.random() * 3));
    private static final int LAST_ADULT_YEAR = java.time.Year.now().getValue() - 19;

    /** The day every referral here is created: ages are estimated as of this day. */
    /** Today in Dushanbe: consent date; createdAt is "now", inside the bus's replay window. */
    private static final String CREATED = java.time.LocalDate.now(java.time.ZoneOffset.ofHours(5)).toString();

    private PersonReferrals() {
    }

    static int freshBirthYear() {
        int year = NEXT_YEAR.getAndAdd(3);
        if (year > LAST_ADULT_YEAR) {
            throw new IllegalStateException("PersonReferrals ran out of adult birth years (" + year + "): start earlier or step less");
        }
        return year;
    }

    record Person(String given, String family, String patronymic, String sex, String birthDate, Integer ageEstimate) {
    }

    static String referral(String referralId, String sender, Person person, String region, String supersedes,
                           String urgency, List<String> services) {
        String scope = services.stream().map(s -> "<service>" + s + "</service>").collect(Collectors.joining());
        String needs = services.stream().map(s -> "<need service=\"" + s + "\" priority=\"HIGH\"/>").collect(Collectors.joining());
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <referral xmlns="urn:referral-bus:referral:1" version="1">
                  <header>
                    <referralId>%s</referralId>
                    <createdAt>%s</createdAt>
                    <sender agencyId="%s"/>
                    <category>PRESUMED_VICTIM</category>
                    <urgency>%s</urgency>%s
                  </header>
                  <consent><given>true</given><date>%s</date><scope>%s</scope><lawEnforcementSharing>false</lawEnforcementSharing></consent>
                  <person>
                    <givenName>%s</givenName>
                    <familyName>%s</familyName>%s
                    <sex>%s</sex>
                    %s
                    <nationality>TJ</nationality>
                    <languages><language>tg</language></languages>
                    <location><region>%s</region></location>
                  </person>
                  <needs>%s</needs>
                </referral>
                """.formatted(referralId, java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX")
                        .format(java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(5))),
                sender, urgency,
                supersedes == null ? "" : "\n    <supersedes>" + supersedes + "</supersedes>", CREATED, scope,
                person.given(), person.family(),
                person.patronymic() == null ? "" : "\n    <patronymic>" + person.patronymic() + "</patronymic>",
                person.sex(),
                person.birthDate() != null ? "<birthDate>" + person.birthDate() + "</birthDate>"
                        : "<ageEstimate>" + person.ageEstimate() + "</ageEstimate>",
                region, needs);
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }
}
