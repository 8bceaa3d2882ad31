package org.referralbus.dedupe;

import javax.sql.DataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The idempotent consumer's memory of envelopes already processed, in the database (table created by Flyway),
 * so it survives restarts and is shared by every bus instance on that database.
 */
@Configuration(proxyBeanMethods = false)
class ProcessedEnvelopesConfiguration {

    static final String PROCESSOR_NAME = "referral-envelopes";

    @Bean
    JdbcMessageIdRepository processedEnvelopes(DataSource dataSource) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, PROCESSOR_NAME);
        repository.setCreateTableIfNotExists(false);
        return repository;
    }
}
