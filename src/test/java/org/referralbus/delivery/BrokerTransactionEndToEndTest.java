package org.referralbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.ConnectionFactory;
import java.util.Collections;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.referralbus.support.RunningBus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/**
 * The broker transaction the flow's {@code send-copies} route opens ({@code brokerTransaction}), on the real embedded
 * broker: the copies sent in it reach their queue together when it commits, or not at all when a later one fails or
 * when the broker already has one of them (then the flow sends them again one by one).
 */
class BrokerTransactionEndToEndTest extends RunningBus {

    @Autowired
    private CamelContext camel;
    @Autowired
    private ConnectionFactory connections;

    @Test
    void copiesSentInTheTransactionReachTheQueueOnlyIfItCommits() throws Exception {
        String queue = "test.broker-transaction." + UUID.randomUUID();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + queue).routeId(queue)
                        .transacted("brokerTransaction")
                        .to("jms:queue:" + queue)
                        .to("jms:queue:" + queue)
                        .filter(simple("${header.failLast} == true"))
                            .throwException(new IllegalStateException("the last copy could not be sent"))
                        .end();
            }
        });
        ProducerTemplate template = camel.createProducerTemplate();

        Exchange failed = template.send("direct:" + queue, ExchangePattern.InOnly, e -> {
            e.getMessage().setBody("sealed copy");
            e.getMessage().setHeader("failLast", true);
        });
        assertThat(failed.getException()).isNotNull();
        assertThat(messagesOn(queue)).as("rolled back: the copies already sent are gone too").isZero();

        Exchange sent = template.send("direct:" + queue, ExchangePattern.InOnly, e -> {
            e.getMessage().setBody("sealed copy");
            e.getMessage().setHeader("failLast", false);
        });
        assertThat(sent.getException()).isNull();
        assertThat(messagesOn(queue)).as("committed: both copies").isEqualTo(2);
        camel.getRouteController().stopRoute(queue);
        camel.removeRoute(queue);
    }

    @Test
    void theBrokerRefusesAWholeTransactionHoldingACopyItAlreadyHas() throws Exception {
        String queue = "test.broker-transaction." + UUID.randomUUID();
        String alreadySent = UUID.randomUUID().toString();
        JmsTemplate jms = new JmsTemplate(connections);
        jms.convertAndSend(queue, "sealed copy", m -> {
            m.setStringProperty("_AMQ_DUPL_ID", alreadySent);
            return m;
        });
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + queue).routeId(queue)
                        .transacted("brokerTransaction")
                        .setHeader("_AMQ_DUPL_ID", constant(alreadySent))
                        .to("jms:queue:" + queue)
                        .setHeader("_AMQ_DUPL_ID", constant(UUID.randomUUID().toString()))
                        .to("jms:queue:" + queue);
            }
        });

        Exchange refused = camel.createProducerTemplate().send("direct:" + queue, ExchangePattern.InOnly, e -> e.getMessage().setBody("sealed copy"));

        assertThat(refused.getException()).as("what the flow's try-copies-together catches")
                .hasRootCauseInstanceOf(org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException.class);
        assertThat(messagesOn(queue)).as("the new copy was refused with the duplicate").isEqualTo(1);
        camel.getRouteController().stopRoute(queue);
        camel.removeRoute(queue);
    }

    private int messagesOn(String queue) {
        Integer count = new JmsTemplate(connections).browse(queue, (session, browser) -> Collections.list(browser.getEnumeration()).size());
        return count == null ? 0 : count;
    }
}
