package org.referralbus.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code: features in between a small shared vocabulary ({@code core}) and the wiring
 * ({@code system}, {@code cli}). A cycle or a feature reaching up into the wiring fails the build.
 */
class PackageStructureTest {

    private static final String BASE = "org.referralbus";
    private static final String[] WIRING = {BASE + ".system..", BASE + ".cli..", BASE};

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    @Test
    void packagesFormNoCycle() {
        slices().matching(BASE + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void featuresDoNotImportTheWiring() {
        noClasses().that().resideOutsideOfPackages(WIRING)
                .should().dependOnClassesThat().resideInAnyPackage(WIRING)
                .check(MAIN);
    }

    @Test
    void theSharedVocabularyImportsNoFeature() {
        noClasses().that().resideInAPackage(BASE + ".core..")
                .should().dependOnClassesThat(resideInAPackage(BASE + "..").and(resideOutsideOfPackage(BASE + ".core..")))
                .check(MAIN);
    }

    @Test
    void theSharedVocabularyStaysFreeOfCamel() {
        noClasses().that().resideInAPackage(BASE + ".core..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.camel..")
                .check(MAIN);
    }
}
