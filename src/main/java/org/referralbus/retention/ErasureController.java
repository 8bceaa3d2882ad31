package org.referralbus.retention;

import org.referralbus.core.ErrorCode;
import org.referralbus.core.ReferralBusException;
import org.referralbus.core.Uuids;
import org.referralbus.routing.RegistryProperties;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/erasures}: the coordinator (the provider named by {@code referral-bus.registry.coordinator},
 * over mutual TLS) has a referral's sealed envelope and copies erased. Any other participant is refused.
 */
@RestController
class ErasureController {

    /** The referral, as its sender filed it. */
    record ErasureRequest(String sender, String referralId) {
    }

    private final Erasure erasure;
    private final RegistryProperties registry;

    ErasureController(Erasure erasure, RegistryProperties registry) {
        this.erasure = erasure;
        this.registry = registry;
    }

    @PostMapping(path = "/api/v1/erasures", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    Erasure.Erased erase(@AuthenticationPrincipal UserDetails participant, @RequestBody ErasureRequest request) {
        if (!registry.coordinator().equals(participant.getUsername())) {
            throw new ReferralBusException(ErrorCode.FORBIDDEN, "Only the coordinator may erase a referral");
        }
        if (request == null || blank(request.sender()) || blank(request.referralId())) {
            throw new ReferralBusException(ErrorCode.INVALID_REQUEST, "Give the referral's sender and referralId");
        }
        return erasure.erase(participant.getUsername(), request.sender(), Uuids.key(request.referralId()));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
