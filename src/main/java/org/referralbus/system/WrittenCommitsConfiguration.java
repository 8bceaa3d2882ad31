package org.referralbus.system;

import javax.sql.DataSource;
import org.apache.camel.spi.IdempotentRepository;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hands the application (the bus, and the command line's subcommands) {@link WrittenCommits} in place of the data source
 * Spring Boot built, on PostgreSQL with batched inserts sent as one statement ({@link PostgresBatchedInserts}), and
 * the idempotent consumer a repository whose keys wait for the next write ({@link UnwrittenIdempotentKeys}).
 */
@Configuration(proxyBeanMethods = false)
public class WrittenCommitsConfiguration {

    @Bean
    static BeanPostProcessor writtenCommits() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource dataSource && !(bean instanceof WrittenCommits)
                        ? new WrittenCommits(dataSource) : bean;
            }
        };
    }

    @Bean
    static BeanPostProcessor unwrittenIdempotentKeys() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof IdempotentRepository keys && !(bean instanceof UnwrittenIdempotentKeys)
                        ? new UnwrittenIdempotentKeys(keys) : bean;
            }
        };
    }

    @Bean
    static BeanPostProcessor postgresBatchedInserts() {
        return new PostgresBatchedInserts();
    }
}
