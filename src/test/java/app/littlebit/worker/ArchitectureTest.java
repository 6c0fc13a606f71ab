package app.littlebit.worker;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package structure the README's code-layout table describes: dependencies point one way
 * (command line → adapters → job → pipeline → ffmpeg → audio, with failure a leaf everyone may
 * use), so a newcomer can read any package knowing only the ones below it.
 */
class ArchitectureTest {
    private static final String ROOT = "app.littlebit.worker";
    private static final JavaClasses WORKER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(WORKER);
        // The root package is not matched by "(*).." above: nothing below may import it either.
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(ROOT)
                .because("the command line wires everything; nothing may depend on it")
                .check(WORKER);
    }

    @Test
    void theAudioCoreImportsNothingOfOurs() {
        classes()
                .that()
                .resideInAPackage(ROOT + ".audio..")
                .should()
                .onlyDependOnClassesThat(resideInAPackage(ROOT + ".audio..").or(resideOutsideOfPackage(ROOT + "..")))
                .because("the audio core is pure: PCM in, figures out")
                .check(WORKER);
    }

    @Test
    void failuresAreALeaf() {
        classes()
                .that()
                .resideInAPackage(ROOT + ".failure..")
                .should()
                .onlyDependOnClassesThat(resideInAPackage(ROOT + ".failure..").or(resideOutsideOfPackage(ROOT + "..")))
                .check(WORKER);
    }

    @Test
    void theJobKnowsNothingOfAws() {
        noClasses()
                .that()
                .resideInAnyPackage(ROOT + ".job..", ROOT + ".pipeline..", ROOT + ".ffmpeg..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ROOT + ".aws..", "software.amazon..")
                .check(WORKER);
    }
}
