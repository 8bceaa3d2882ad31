package org.referralbus.core;

/**
 * A configuration mistake that stops the bus at start-up: what is wrong (naming the property or file), and what to
 * do about it. The start-up failure analyzer prints both on the console instead of a stack trace. Neither may
 * contain a secret, a password, key material or any part of them: name the property, never echo its value.
 */
public class StartupRefusal extends ReferralBusException {

    private final String action;

    public StartupRefusal(String problem, String action) {
        super(ErrorCode.INTERNAL_ERROR, problem);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
