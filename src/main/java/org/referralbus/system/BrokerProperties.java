package org.referralbus.system;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded broker's network acceptor, for providers and agencies using CORE or AMQP 1.0 clients.
 *
 * @param host interface the acceptor binds; keep 127.0.0.1 unless a TLS-terminating proxy or firewall sits in front
 * @param port TCP port of the acceptor (CORE and AMQP on one port)
 */
@Validated
@ConfigurationProperties("referral-bus.broker")
public record BrokerProperties(@DefaultValue("127.0.0.1") @NotBlank String host,
                               @DefaultValue("61616") @Min(0) @Max(65535) int port) {
}
