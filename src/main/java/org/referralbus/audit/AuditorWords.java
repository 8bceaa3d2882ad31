package org.referralbus.audit;

import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What of an auditor's typed query may enter the trail, which no one can ever change: ids only. A referral, delivery
 * or case id (a UUID), a hash, or a participant id the trail already names is written as typed; anything else (a
 * name, a birth date, a phone number typed into a search box or a filter) only as its length.
 */
@Component
class AuditorWords {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern PARTICIPANT_ID = Pattern.compile("[a-z0-9-]{1,64}");

    private final Predicate<String> namedByTheTrail;

    @Autowired
    AuditorWords(AuditQueries trail) {
        this(trail::namesParticipant);
    }

    AuditorWords(Predicate<String> namedByTheTrail) {
        this.namedByTheTrail = namedByTheTrail;
    }

    /** The typed text as the trail may keep it; null stays null. */
    String recordable(String typed) {
        if (typed == null) {
            return null;
        }
        if (UUID.matcher(typed).matches() || HASH.matcher(typed).matches()
                || (PARTICIPANT_ID.matcher(typed).matches() && namedByTheTrail.test(typed))) {
            return typed;
        }
        return "<" + typed.length() + " characters>";
    }

    /** A typed referral id for the row's referral_id column: only a UUID, else none. */
    String referralId(String typed) {
        return typed != null && UUID.matcher(typed).matches() ? typed : null;
    }
}
