package org.referralbus.system;

import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hands the application (the bus, and the command line's subcommands) {@link WrittenCommits} in place of the data source
 * Spring Boot built, on PostgreSQL with batched inserts sent as one statement ({@link PostgresBatchedInserts}).
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
    static BeanPostProcessor postgresBatchedInserts() {
        return new PostgresBatchedInserts();
    }
}
