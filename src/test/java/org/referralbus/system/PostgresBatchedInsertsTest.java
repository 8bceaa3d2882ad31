package org.referralbus.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.referralbus.support.ScratchPostgresDatabase;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/** pgjdbc's multi-row inserts: on for PostgreSQL unless the operator says otherwise, and H2 untouched. */
class PostgresBatchedInsertsTest {

    @Test
    void aPostgresDataSourceSendsABatchOfInsertsAsOneStatement() throws Exception {
        Assumptions.assumeTrue(ScratchPostgresDatabase.reachable(), "PostgreSQL on 127.0.0.1:5432");
        try (ScratchPostgresDatabase database = ScratchPostgresDatabase.create()) {
            assertThat(updateCountsOfABatch(database.url(), true)).containsOnly(Statement.SUCCESS_NO_INFO);
            assertThat(updateCountsOfABatch(database.url(), false)).containsOnly(1);
        }
    }

    @Test
    void theBusesDataSourceOnAPostgresUrlHasItOn() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withUserConfiguration(WrittenCommitsConfiguration.class)
                .withPropertyValues("spring.datasource.url=jdbc:postgresql://db.invalid:5432/bus")
                .run(context -> {
                    DataSource built = ((WrittenCommits) context.getBean(DataSource.class)).getTargetDataSource();
                    assertThat(((HikariDataSource) built).getDataSourceProperties())
                            .containsEntry("reWriteBatchedInserts", "true");
                });
    }

    @Test
    void theOperatorsOwnSettingWins() {
        HikariDataSource inUrl = dataSource("jdbc:postgresql://db:5432/bus?reWriteBatchedInserts=false");
        HikariDataSource inProperties = dataSource("jdbc:postgresql://db:5432/bus");
        inProperties.addDataSourceProperty("rewritebatchedinserts", "false");

        new PostgresBatchedInserts().postProcessBeforeInitialization(inUrl, "dataSource");
        new PostgresBatchedInserts().postProcessBeforeInitialization(inProperties, "dataSource");

        assertThat(inUrl.getDataSourceProperties()).isEmpty();
        assertThat(inProperties.getDataSourceProperties()).containsOnlyKeys("rewritebatchedinserts");
    }

    @Test
    void anH2DataSourceIsLeftAsItIs() {
        HikariDataSource h2 = dataSource("jdbc:h2:mem:batched");

        new PostgresBatchedInserts().postProcessBeforeInitialization(h2, "dataSource");

        assertThat(h2.getDataSourceProperties()).isEmpty();
    }

    private static int[] updateCountsOfABatch(String url, boolean processed) {
        try (HikariDataSource dataSource = dataSource(url)) {
            dataSource.setUsername("postgres");
            dataSource.setPassword("");
            if (processed) {
                new PostgresBatchedInserts().postProcessBeforeInitialization(dataSource, "dataSource");
            }
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("CREATE TABLE IF NOT EXISTS block (block_key BIGINT, encoding_id BIGINT)");
            // Four rows: pgjdbc rewrites a batch in blocks of a power of two rows, and a block of one stays a plain INSERT.
            return jdbc.batchUpdate("INSERT INTO block (block_key, encoding_id) VALUES (?, ?)",
                    List.of(new Object[] {1L, 7L}, new Object[] {2L, 7L}, new Object[] {3L, 7L}, new Object[] {4L, 7L}));
        }
    }

    private static HikariDataSource dataSource(String url) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        return dataSource;
    }
}
