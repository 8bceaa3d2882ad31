package org.referralbus.system;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * On PostgreSQL, pgjdbc sends a batch of {@code INSERT … VALUES} as one multi-row {@code INSERT} when
 * {@code reWriteBatchedInserts} is on, instead of one statement per row; the bus batches a new person's LSH blocks
 * (32 rows and more) and its audit rows. Off by default in the driver, on by default in the bus
 * (docs/performance-history.md, "Where issue 13 stood: session 33": faster in three of four alternated pairs). An operator's own
 * {@code reWriteBatchedInserts}, in the JDBC URL or in {@code spring.datasource.hikari.data-source-properties}, wins.
 * Runs before initialisation, after Spring Boot bound the data source's settings and before
 * {@link WrittenCommits} wraps it; the pool opens its first connection later.
 */
final class PostgresBatchedInserts implements BeanPostProcessor {

    private static final String PROPERTY = "reWriteBatchedInserts";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource hikari) {
            apply(hikari);
        }
        return bean;
    }

    private static void apply(HikariDataSource hikari) {
        String url = hikari.getJdbcUrl();
        if (url != null && url.startsWith("jdbc:postgresql:")
                && !url.toLowerCase(Locale.ROOT).contains(PROPERTY.toLowerCase(Locale.ROOT))
                && hikari.getDataSourceProperties().keySet().stream()
                        .noneMatch(key -> PROPERTY.equalsIgnoreCase(key.toString()))) {
            hikari.addDataSourceProperty(PROPERTY, "true");
        }
    }
}
