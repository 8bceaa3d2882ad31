package org.referralbus.delivery;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.referralbus.schema.referral.ServiceCode;

/**
 * Which sections of a referral a provider may see, decided by the services it is asked to meet. A provider asked
 * for several services sees the union. The coordinator sees everything. Free-text notes go to the coordinator
 * only, because nobody can tell in advance what they contain. Documented in docs/integrators.md ("Need to know").
 */
final class NeedToKnowPolicy {

    enum Section { CONSENT, PERSON, EXPLOITATION, NEEDS, NOTES }

    private static final Set<Section> BASE = EnumSet.of(Section.CONSENT, Section.PERSON, Section.NEEDS);
    private static final Set<Section> WITH_STORY = EnumSet.of(Section.CONSENT, Section.PERSON, Section.NEEDS, Section.EXPLOITATION);

    private static final Map<ServiceCode, Set<Section>> BY_SERVICE = new EnumMap<>(Map.of(
            ServiceCode.SHELTER, BASE,
            ServiceCode.MEDICAL, BASE,
            ServiceCode.EDUCATION, BASE,
            ServiceCode.FAMILY_TRACING, BASE,
            ServiceCode.DOCUMENTATION, BASE,
            ServiceCode.PSYCHOSOCIAL, WITH_STORY,
            ServiceCode.LEGAL, WITH_STORY,
            ServiceCode.RETURN, WITH_STORY,
            ServiceCode.REINTEGRATION, WITH_STORY,
            ServiceCode.CHILD_PROTECTION, WITH_STORY));

    /** @param coordinator whether the copy is the coordinator's, which sees every section */
    Set<Section> sectionsFor(boolean coordinator, List<ServiceCode> services) {
        if (coordinator) {
            return EnumSet.allOf(Section.class);
        }
        Set<Section> sections = EnumSet.noneOf(Section.class);
        services.forEach(service -> sections.addAll(BY_SERVICE.getOrDefault(service, BASE)));
        return sections;
    }
}
