package org.referralbus.validation;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.datatype.XMLGregorianCalendar;
import org.referralbus.core.Uuids;
import org.referralbus.schema.referral.ConsentType;
import org.referralbus.schema.referral.HeaderType;
import org.referralbus.schema.referral.PersonType;
import org.referralbus.schema.referral.ReferralType;
import org.referralbus.schema.referral.ServiceCode;

/**
 * Maps the bound schema types to the {@link Referral} record the rest of the bus works with. The referral id is taken
 * in the bus's one form ({@link Uuids#key}) here, where it is first read: every row, key and lookup after this uses it.
 */
final class ReferralMapper {

    Referral map(ReferralType document) {
        HeaderType header = document.getHeader();
        ConsentType consent = document.getConsent();
        PersonType person = document.getPerson();
        OffsetDateTime createdAt = toOffsetDateTime(header.getCreatedAt());
        Set<ServiceCode> scope = new LinkedHashSet<>();
        if (consent.getScope() != null) {
            scope.addAll(consent.getScope().getService());
        }
        List<Referral.Need> needs = document.getNeeds().getNeed().stream()
                .map(need -> new Referral.Need(need.getService(), need.getPriority()))
                .toList();
        return new Referral(
                Uuids.key(header.getReferralId()),
                header.getSender().getAgencyId(),
                createdAt,
                header.getCategory(),
                header.getUrgency(),
                consent.isGiven(),
                Set.copyOf(scope),
                person.getLocation().getRegion(),
                ageAt(person, createdAt.toLocalDate()),
                person.getSex(),
                Set.copyOf(person.getLanguages().getLanguage()),
                needs,
                document);
    }

    private static Integer ageAt(PersonType person, LocalDate when) {
        if (person.getBirthDate() != null) {
            XMLGregorianCalendar birth = person.getBirthDate();
            LocalDate born = LocalDate.of(birth.getYear(), birth.getMonth(), birth.getDay());
            return Period.between(born, when).getYears();
        }
        return person.getAgeEstimate();
    }

    private static OffsetDateTime toOffsetDateTime(XMLGregorianCalendar calendar) {
        return calendar.toGregorianCalendar().toZonedDateTime().toOffsetDateTime();
    }
}
