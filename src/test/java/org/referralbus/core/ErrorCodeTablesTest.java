package org.referralbus.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Agencies script against the problem codes, and README.md and integrators.md each give the table of them: every
 * {@link ErrorCode} is a row with its HTTP status, and no row names a code the bus no longer answers (a docs review
 * found six codes missing from both tables).
 */
class ErrorCodeTablesTest {

    /** A table row: {@code | `code` | 409 | …}. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z_]+)` \\| (\\d{3}) \\|");
    /** Answered by the web layer before any code of the bus runs (no certificate): not an {@link ErrorCode}. */
    private static final Set<String> OUTSIDE_THE_ENUM = Set.of("unauthenticated");

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/integrators.md"})
    void theProblemCodeTableListsEveryCodeWithItsStatusAndNoOther(String document) throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher row = ROW.matcher(Files.readString(Path.of(document)));
        while (row.find()) {
            documented.add(row.group(1) + " " + row.group(2));
        }
        Set<String> answered = new TreeSet<>();
        Arrays.stream(ErrorCode.values()).forEach(code -> answered.add(code.code() + " " + code.httpStatus()));

        assertThat(documented).as(document).containsAll(answered);
        documented.removeAll(answered);
        assertThat(documented).as(document + ": rows naming no code the bus answers")
                .allSatisfy(extra -> assertThat(OUTSIDE_THE_ENUM).contains(extra.split(" ")[0]));
    }
}
