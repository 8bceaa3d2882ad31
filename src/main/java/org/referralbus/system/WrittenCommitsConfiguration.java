package org.referralbus.system;

import java.util.function.Function;
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
        return replacing(DataSource.class, WrittenCommits.class, WrittenCommits::new);
    }

    @Bean
    static BeanPostProcessor unwrittenIdempotentKeys() {
        return replacing(IdempotentRepository.class, UnwrittenIdempotentKeys.class, UnwrittenIdempotentKeys::new);
    }

    /** Hands out {@code wrap(bean)} for every bean of {@code type} that is not already a {@code wrapper}. */
    private static <T> BeanPostProcessor replacing(Class<T> type, Class<? extends T> wrapper, Function<T, T> wrap) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return type.isInstance(bean) && !wrapper.isInstance(bean) ? wrap.apply(type.cast(bean)) : bean;
            }
        };
    }

    @Bean
    static BeanPostProcessor postgresBatchedInserts() {
        return new PostgresBatchedInserts();
    }
}
