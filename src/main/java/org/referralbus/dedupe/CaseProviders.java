package org.referralbus.dedupe;

import java.util.List;
import java.util.Map;
import org.referralbus.schema.referral.ServiceCode;

/**
 * Where earlier referrals of a case went, asked of the feature that owns the deliveries (which depends on dedupe,
 * so dedupe only names what it needs).
 */
public interface CaseProviders {

    /**
     * For each service, the provider that first received it for one of {@code referralIds} of {@code sender}, the
     * coordinator left out (it holds no need).
     */
    Map<ServiceCode, String> firstProviderPerService(String sender, List<String> referralIds);
}
