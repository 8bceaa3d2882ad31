package org.referralbus.system;

import org.springframework.context.ApplicationContext;

/** For tests of other packages: how many requests from an address the running bus has taken and not yet answered. */
public final class RequestsInProgress {

    private RequestsInProgress() {
    }

    public static int from(ApplicationContext bus, String address) {
        return bus.getBean(ClientAddressLimit.class).inProgress(address);
    }
}
