package org.referralbus.routing;

/** The provider registry is unusable; thrown at start-up so a broken registry never routes anything. */
public class InvalidRegistryException extends IllegalStateException {

    public InvalidRegistryException(String message) {
        super(message);
    }
}
