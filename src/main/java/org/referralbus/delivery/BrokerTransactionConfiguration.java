package org.referralbus.delivery;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.JmsTransactionManager;

/**
 * The broker transaction of the flow's {@code send-copies} route. Sends into a transaction are answered at once;
 * its commit is answered after one sync of the broker's journal, where each durable send outside one waits for its
 * own. Only the broker's transaction: the database's stay with the steps that write it.
 */
@Configuration(proxyBeanMethods = false)
class BrokerTransactionConfiguration {

    /**
     * A transaction of its own, also inside the queue intake's: the broker refuses a whole transaction holding one
     * duplicate, and the flow answers that refusal by sending the copies again one by one ({@code send-copies-one-by-one}),
     * which only works if the intake message was not in the refused transaction.
     */
    @Bean
    SpringTransactionPolicy brokerTransaction(ConnectionFactory connections) {
        SpringTransactionPolicy policy = new SpringTransactionPolicy(new JmsTransactionManager(connections));
        policy.setPropagationBehaviorName("PROPAGATION_REQUIRES_NEW");
        return policy;
    }
}
