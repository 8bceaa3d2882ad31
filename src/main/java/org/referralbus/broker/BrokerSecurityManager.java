package org.referralbus.broker;

import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.remoting.CertificateUtil;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnection;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.referralbus.core.LogSafe;
import org.referralbus.participants.ParticipantAuthentication;
import org.referralbus.participants.ParticipantIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certificate login for the embedded broker. A network client is the participant its TLS client certificate names
 * (the acceptor requires one chaining to the trust anchors), checked as on the HTTPS port: not revoked, listed in a
 * registry with that key. An agency gets {@link BrokerLayout#AGENCY_ROLE}, a provider its own
 * {@link BrokerLayout#providerRole provider role}; any other participant, and any client without a certificate, is
 * refused. Only an in-VM connection, which only the bus's own process can open, is the bus. User names and
 * passwords are ignored: a certificate is the only credential.
 *
 * <p>Rights are the roles {@link BrokerLayout#security()} grants on the address. The broker's authentication and
 * authorisation caches are off ({@link EmbeddedBrokerLayout}), so a revocation or a registry change applies to the
 * next connection, not minutes later.
 */
public final class BrokerSecurityManager implements ActiveMQSecurityManager5 {

    private static final Logger log = LoggerFactory.getLogger(BrokerSecurityManager.class);

    private final ParticipantAuthentication participants;

    public BrokerSecurityManager(ParticipantAuthentication participants) {
        this.participants = participants;
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        if (connection != null && connection.getTransportConnection() instanceof InVMConnection) {
            return subject(BrokerLayout.BUS_USER, BrokerLayout.BUS_ROLE);
        }
        X509Certificate[] chain = connection == null ? null : CertificateUtil.getCertsFromConnection(connection);
        String from = connection == null ? "?" : LogSafe.value(connection.getRemoteAddress());
        if (chain == null || chain.length == 0) {
            log.warn("Broker refused a connection from {}: no client certificate", from);
            return null;
        }
        ParticipantIdentity identity;
        try {
            identity = participants.admit(chain[0]);
        } catch (RuntimeException e) {
            log.warn("Broker refused a connection from {}: {}", from, LogSafe.value(e.getMessage()));
            return null;
        }
        String role = switch (identity.role()) {
            case AGENCY -> BrokerLayout.AGENCY_ROLE;
            case PROVIDER -> BrokerLayout.providerRole(identity.id());
            default -> null;
        };
        if (role == null) {
            log.warn("Broker refused a connection from {}: {} '{}' has no business on the broker", from, identity.role(), identity.id());
            return null;
        }
        return subject(identity.id(), role);
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        if (subject == null) {
            return false;
        }
        Set<RolePrincipal> held = subject.getPrincipals(RolePrincipal.class);
        for (Role role : roles) {
            if (checkType.hasRole(role) && held.contains(new RolePrincipal(role.getName()))) {
                return true;
            }
        }
        return false;
    }

    /** Unused: the broker calls the {@link ActiveMQSecurityManager5} methods. Refuses. */
    @Override
    public boolean validateUser(String user, String password) {
        return false;
    }

    /** Unused: the broker calls the {@link ActiveMQSecurityManager5} methods. Refuses. */
    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return false;
    }

    private static Subject subject(String user, String role) {
        Subject subject = new Subject();
        Set<Principal> principals = subject.getPrincipals();
        principals.add(new UserPrincipal(user));
        principals.add(new RolePrincipal(role));
        return subject;
    }
}
