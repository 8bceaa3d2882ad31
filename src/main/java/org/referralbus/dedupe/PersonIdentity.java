package org.referralbus.dedupe;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import javax.xml.datatype.XMLGregorianCalendar;
import org.referralbus.schema.referral.PersonType;
import org.referralbus.schema.referral.Sex;

/**
 * The identity attributes the person matcher reads, as recorded (not yet normalised). Lives in memory only for
 * the length of one exchange; only keyed hashes derived from it are stored.
 *
 * @param patronymic    null if not recorded
 * @param sex           as recorded (the schema's code)
 * @param birthDate     null if only an age estimate is known
 * @param ageEstimate   null if the birth date is known
 * @param referenceDate the day the age estimate refers to (the referral's creation date)
 */
record PersonIdentity(String givenName, String familyName, String patronymic, Sex sex, LocalDate birthDate,
                      Integer ageEstimate, LocalDate referenceDate) {

    static PersonIdentity of(PersonType person, OffsetDateTime createdAt) {
        XMLGregorianCalendar birth = person.getBirthDate();
        LocalDate birthDate = birth == null ? null : LocalDate.of(birth.getYear(), birth.getMonth(), birth.getDay());
        return new PersonIdentity(person.getGivenName(), person.getFamilyName(), person.getPatronymic(),
                person.getSex(), birthDate, person.getAgeEstimate(), createdAt.toLocalDate());
    }

    /**
     * The birth years this record allows: the year of the birth date, or for an age estimate both years a person of
     * that age can have been born in (before or after this year's birthday). The key scheme adds ±1 when probing.
     */
    List<Integer> birthYears() {
        if (birthDate != null) {
            return List.of(birthDate.getYear());
        }
        int latest = referenceDate.getYear() - (ageEstimate == null ? 0 : ageEstimate);
        return List.of(latest - 1, latest);
    }

    @Override
    public String toString() {
        return "PersonIdentity[redacted]";
    }
}
