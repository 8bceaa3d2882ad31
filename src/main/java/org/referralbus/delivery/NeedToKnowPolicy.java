package org.referralbus.delivery;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.referralbus.routing.Provider;

/**
 * Which sections of a referral a provider may see, decided by the services it is asked to meet. A provider asked
 * for several services sees the union. The coordinator sees everything. Free-text notes go to the coordinator
 * only, because nobody can tell in advance what they contain. Documented in docs/integrators.md ("Need to know").
 */
final class NeedToKnowPolicy {

    enum Section { CONSENT, PERSON, EXPLOITATION, NEEDS, NOTES }

    private static final Set<Section> BASE = EnumSet.of(Section.CONSENT, Section.PERSON, Section.NEEDS);
    private static final Set<Section> WITH_STORY = EnumSet.of(Section.CONSENT, Section.PERSON, Section.NEEDS, Section.EXPLOITATION);

    private static final Map<String, Set<Section>> BY_SERVICE = Map.of(
            "SHELTER", BASE,
            "MEDICAL", BASE,
            "EDUCATION", BASE,
            "FAMILY_TRACING", BASE,
            "DOCUMENTATION", BASE,
            "PSYCHOSOCIAL", WITH_STORY,
            "LEGAL", WITH_STORY,
            "RETURN", WITH_STORY,
            "REINTEGRATION", WITH_STORY,
            "CHILD_PROTECTION", WITH_STORY);

    Set<Section> sectionsFor(Provider provider, List<String> services) {
        if (Provider.COORDINATOR.equals(provider.id())) {
            return EnumSet.allOf(Section.class);
        }
        Set<Section> sections = EnumSet.noneOf(Section.class);
        services.forEach(service -> sections.addAll(BY_SERVICE.getOrDefault(service, BASE)));
        return sections;
    }
}
