package org.referralbus.delivery;

/**
 * One provider's copy, sealed for it, and the labels it travels with (the route turns them into headers).
 *
 * @param services the services the copy shows, comma-separated
 * @param channel  QUEUE, INBOX or WEBHOOK
 */
public record SealedCopy(String deliveryId, String providerId, String referralId, String services, String channel,
                         byte[] sealed) {
}
