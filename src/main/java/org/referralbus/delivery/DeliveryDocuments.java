package org.referralbus.delivery;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import java.io.ByteArrayOutputStream;
import java.time.OffsetDateTime;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Set;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import org.referralbus.dedupe.CaseLink;
import org.referralbus.routing.Assignment;
import org.referralbus.routing.RegistryProperties;
import org.referralbus.routing.RoutingRule;
import org.referralbus.schema.delivery.DeliveryType;
import org.referralbus.schema.delivery.ObjectFactory;
import org.referralbus.schema.delivery.ProviderRefType;
import org.referralbus.schema.delivery.ServicesType;
import org.referralbus.schema.referral.ConsentType;
import org.referralbus.schema.referral.NeedsType;
import org.referralbus.schema.referral.ReferralType;
import org.referralbus.schema.referral.SenderType;
import org.referralbus.schema.referral.ServiceCode;
import org.referralbus.schema.referral.ServiceScopeType;
import org.referralbus.validation.Referral;
import org.springframework.stereotype.Component;

/** Cuts a provider's need-to-know view out of a referral and writes it as a {@code delivery-v1} document. */
@Component
class DeliveryDocuments {

    private final JAXBContext context;
    private final DatatypeFactory datatypes;
    private final NeedToKnowPolicy policy = new NeedToKnowPolicy();
    private final RegistryProperties registry;

    DeliveryDocuments(RegistryProperties registry) {
        this.registry = registry;
        try {
            this.context = JAXBContext.newInstance(DeliveryType.class, ReferralType.class);
            this.datatypes = DatatypeFactory.newInstance();
        } catch (JAXBException | DatatypeConfigurationException e) {
            throw new IllegalStateException("Cannot prepare delivery-v1 binding", e);
        }
    }

    byte[] write(String deliveryId, Referral referral, Assignment assignment, OffsetDateTime deliveredAt) {
        return write(deliveryId, referral, assignment, deliveredAt, null);
    }

    /**
     * With a case link: the coordinator and the providers chosen because they already hold the case learn the case
     * id (if the referral joined another referral's case) and, for an update, which referral it supersedes.
     */
    byte[] write(String deliveryId, Referral referral, Assignment assignment, OffsetDateTime deliveredAt, CaseLink link) {
        ReferralType source = referral.document();
        Set<NeedToKnowPolicy.Section> sections = policy.sectionsFor(isCoordinator(assignment), assignment.services());
        DeliveryType delivery = new DeliveryType();
        delivery.setDeliveryId(deliveryId);
        delivery.setReferralId(referral.referralId());
        ProviderRefType provider = new ProviderRefType();
        provider.setProviderId(assignment.provider().id());
        delivery.setProvider(provider);
        SenderType sender = new SenderType();
        sender.setAgencyId(referral.sender());
        delivery.setSender(sender);
        delivery.setDeliveredAt(datatypes.newXMLGregorianCalendar(GregorianCalendar.from(deliveredAt.toZonedDateTime())));
        delivery.setCategory(source.getHeader().getCategory());
        delivery.setUrgency(source.getHeader().getUrgency());
        ServicesType services = new ServicesType();
        services.getService().addAll(assignment.services());
        delivery.setServices(services);
        if (!assignment.reasons().isEmpty()) {
            delivery.setReason(String.join(" ", assignment.reasons()));
        }
        // Which providers got a case id is read back from the stored rules (DeliveryLedger#providersGivenTheCase): keep both in step.
        boolean holdsCase = isCoordinator(assignment)
                || assignment.rules().stream().anyMatch(rule -> rule.kind() == RoutingRule.Kind.LINKED_CASE
                        || rule.kind() == RoutingRule.Kind.CASE_NOTICE);
        if (link != null && holdsCase) {
            if (link.linkedToExistingCase()) {
                delivery.setLinkedCase(link.caseId());
            }
            if (link.isUpdate()) {
                delivery.setSupersedes(link.supersedes());
                delivery.setReferralVersion(java.math.BigInteger.valueOf(link.version()));
            }
        }
        if (sections.contains(NeedToKnowPolicy.Section.CONSENT)) {
            delivery.setConsent(isCoordinator(assignment) ? source.getConsent() : consentFor(source.getConsent(), assignment));
        }
        if (sections.contains(NeedToKnowPolicy.Section.PERSON)) {
            delivery.setPerson(source.getPerson());
        }
        if (sections.contains(NeedToKnowPolicy.Section.EXPLOITATION)) {
            delivery.setExploitation(source.getExploitation());
        }
        if (sections.contains(NeedToKnowPolicy.Section.NEEDS)) {
            delivery.setNeeds(needsFor(source.getNeeds(), assignment));
        }
        if (sections.contains(NeedToKnowPolicy.Section.NOTES)) {
            delivery.setNotes(source.getNotes());
        }
        return marshal(delivery);
    }

    /**
     * The consent as far as this provider needs it: given, when, law-enforcement sharing, and the scope cut to the
     * services asked of it. The whole scope told a shelter the person's other needs (medical, psychosocial), which
     * "needs: its own only" keeps from it (an outside walkthrough found it).
     */
    private static ConsentType consentFor(ConsentType all, Assignment assignment) {
        ConsentType mine = new ConsentType();
        mine.setGiven(all.isGiven());
        mine.setDate(all.getDate());
        mine.setLawEnforcementSharing(all.isLawEnforcementSharing());
        ServiceScopeType scope = new ServiceScopeType();
        if (all.getScope() != null) {
            all.getScope().getService().stream().filter(assignment.services()::contains).forEach(scope.getService()::add);
        }
        mine.setScope(scope);
        return mine;
    }

    private NeedsType needsFor(NeedsType all, Assignment assignment) {
        if (isCoordinator(assignment)) {
            return all;
        }
        List<ServiceCode> mine = assignment.services();
        NeedsType needs = new NeedsType();
        all.getNeed().stream().filter(n -> mine.contains(n.getService())).forEach(needs.getNeed()::add);
        return needs;
    }

    private byte[] marshal(DeliveryType delivery) {
        try {
            Marshaller marshaller = context.createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_ENCODING, "UTF-8");
            marshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, true);
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            marshaller.marshal(new ObjectFactory().createDelivery(delivery), out);
            return out.toByteArray();
        } catch (JAXBException e) {
            throw new IllegalStateException("Cannot write delivery " + delivery.getDeliveryId(), e);
        }
    }

    private boolean isCoordinator(Assignment assignment) {
        return registry.coordinator().equals(assignment.provider().id());
    }
}
