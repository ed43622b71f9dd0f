package io.jenkins.plugins.cloudfrontdeploy.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.Test;

/** The engine runs outside Jenkins (the CLI) and on agents: it may never reach for Jenkins, nor for the CLI. */
public class ArchitectureTest {
    static {
        // The rules read only the engine's own classes and the names of what they refer to (packages, System.out):
        // the classes they refer to need not be imported from the class path as well (the AWS SDK, MINA, the JDK),
        // which took most of this test's seconds. Only this test uses ArchUnit in its JVM.
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    }

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.jenkins.plugins.cloudfrontdeploy.engine");

    @Test
    public void engineDoesNotUseJenkins() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke.stapler..",
                        "com.cloudbees..")
                .check(ENGINE);
    }

    @Test
    public void engineDoesNotUseTheCli() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.jenkins.plugins.cloudfrontdeploy.cli..")
                .check(ENGINE);
    }

    @Test
    public void engineNeverPrints() {
        noClasses().should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .check(ENGINE);
    }
}
