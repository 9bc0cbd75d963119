package org.longbel.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher scripts, run as a user runs them: {@code bin/find-jdk25.sh} (finds a JDK 25 or says clearly that there
 * is none), {@code ./mvn25} (runs Maven with it) and {@code ./longbel} (rebuilds a stale jar, then runs the CLI).
 * JDKs other than this test's own are fakes: a {@code bin/java} printing the version property the script reads.
 */
class LauncherTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String BUILD_ARGS = "-B -q -DskipTests package -pl cli -am";

    @TempDir
    Path tmp;

    private LauncherInstall install;
    private Path jdks;

    @BeforeEach
    void setUp() throws IOException {
        install = LauncherInstall.create(tmp.resolve("install"));
        jdks = Files.createDirectories(tmp.resolve("jvm"));
    }

    /** A fake JDK: {@code bin/java} reports {@code java.specification.version = version}; {@code bin/javac} if asked. */
    private Path fakeJdk(String name, String version, boolean javac) throws IOException {
        Path home = jdks.resolve(name);
        LauncherInstall.script(home.resolve("bin/java"),
                "echo '    java.specification.version = " + version + "' >&2\n");
        if (javac) LauncherInstall.script(home.resolve("bin/javac"), "exit 0\n");
        return home;
    }

    /** {@code bash -c '. bin/find-jdk25.sh; echo $JAVA_HOME'} with the given JAVA_HOME (null: unset). */
    private Subprocess findJdk(Path javaHome, String searchDirs) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail; . bin/find-jdk25.sh; printf '%s' \"$JAVA_HOME\"")
                .directory(install.dir().toFile());
        environment(pb.environment(), javaHome, searchDirs);
        return Subprocess.run(pb, TIMEOUT);
    }

    private static void environment(Map<String, String> env, Path javaHome, String searchDirs) {
        if (javaHome == null) env.remove("JAVA_HOME");
        else env.put("JAVA_HOME", javaHome.toString());
        env.put("LONGBEL_JDK_DIRS", searchDirs);
    }

    private static List<String> noJdkMessage(String javaHome, String looked) {
        return List.of("longbel: no JDK 25 found. Looked at JAVA_HOME (" + javaHome + ") and " + looked + ".",
                "longbel: install a JDK 25 (for example Temurin 25) and set JAVA_HOME to it.");
    }

    @Test
    void noJdk25IsAClearMessage() throws Exception {
        Path jdk17 = fakeJdk("jdk-17", "17", true);
        fakeJdk("jdk-21", "21", true);
        fakeJdk("jre-25", "25", false);   // a runtime without javac cannot build
        Path empty = Files.createDirectories(tmp.resolve("empty"));

        Subprocess p = findJdk(jdk17, jdks + ":" + empty);
        assertEquals(1, p.exitCode(), p.stderr());
        assertEquals(noJdkMessage(jdk17.toString(), jdks + "/*, " + empty + "/*"), p.stderr().lines().toList());
        assertEquals("", p.stdout());

        Subprocess unset = findJdk(null, empty.toString());
        assertEquals(1, unset.exitCode(), unset.stderr());
        assertEquals(noJdkMessage("unset", empty + "/*"), unset.stderr().lines().toList());
    }

    @Test
    void findsAJdk25InTheSearchDirectoriesAndPrefersJavaHome() throws Exception {
        Path jdk17 = fakeJdk("jdk-17", "17", true);
        fakeJdk("jre-25", "25", false);
        Path temurin25 = fakeJdk("temurin-25", "25", true);
        Path empty = Files.createDirectories(tmp.resolve("empty"));

        Subprocess found = findJdk(jdk17, empty + ":" + jdks);
        assertEquals(0, found.exitCode(), found.stderr());
        assertEquals(temurin25.toString(), found.stdout());

        Path own = Files.createDirectories(tmp.resolve("elsewhere"));
        Path home25 = LauncherInstall.script(own.resolve("my-jdk/bin/java"),
                "echo '    java.specification.version = 25' >&2\n").getParent().getParent();
        LauncherInstall.script(home25.resolve("bin/javac"), "exit 0\n");
        Subprocess javaHome = findJdk(home25, jdks.toString());
        assertEquals(0, javaHome.exitCode(), javaHome.stderr());
        assertEquals(home25.toString(), javaHome.stdout(), "a JAVA_HOME that is a JDK 25 comes first");
    }

    @Test
    void theLauncherAndMvn25StopAtTheSameMessage() throws Exception {
        Path jdk17 = fakeJdk("jdk-17", "17", true);
        Path calls = install.dir().resolve("mvn.calls");
        Path bin = Files.createDirectories(tmp.resolve("path"));
        LauncherInstall.script(bin.resolve("mvn"), "echo \"$*\" >> '" + calls + "'\n");
        List<String> expected = noJdkMessage(jdk17.toString(), jdks + "/*");

        ProcessBuilder launcher = install.longbel("--version");
        environment(launcher.environment(), jdk17, jdks.toString());
        Subprocess l = Subprocess.run(launcher, TIMEOUT);
        assertEquals(1, l.exitCode(), l.stderr());
        assertEquals(expected, l.stderr().lines().toList());
        assertEquals("", l.stdout());

        ProcessBuilder mvn = new ProcessBuilder(install.dir().resolve("mvn25").toString(), "-B", "test");
        environment(mvn.environment(), jdk17, jdks.toString());
        mvn.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Subprocess m = Subprocess.run(mvn, TIMEOUT);
        assertEquals(1, m.exitCode(), m.stderr());
        assertEquals(expected, m.stderr().lines().toList());
        assertFalse(Files.exists(calls), "Maven must not run without a JDK 25");
    }

    @Test
    void mvn25RunsMavenWithTheJdk25ItFinds() throws Exception {
        Path jdk25 = fakeJdk("temurin-25", "25", true);
        Path bin = Files.createDirectories(tmp.resolve("path"));
        LauncherInstall.script(bin.resolve("mvn"), "printf 'JAVA_HOME=%s\\nMAVEN_OPTS=%s\\nargs=%s\\n' \"$JAVA_HOME\" \"$MAVEN_OPTS\" \"$*\"\n");
        ProcessBuilder mvn = new ProcessBuilder(install.dir().resolve("mvn25").toString(), "-B", "-o", "test");
        environment(mvn.environment(), null, jdks.toString());
        mvn.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        mvn.environment().remove("MAVEN_OPTS");
        Subprocess m = Subprocess.run(mvn, TIMEOUT);
        assertEquals(0, m.exitCode(), m.stderr());
        assertEquals(List.of("JAVA_HOME=" + jdk25, "MAVEN_OPTS= --sun-misc-unsafe-memory-access=allow",
                "args=-f " + install.dir().resolve("pom.xml") + " -B -o test"), m.stdout().lines().toList());
    }

    /**
     * A fake {@code ./mvn25} beside the launcher: records its arguments, then "builds" (copies a class-path jar onto
     * cli/target/longbel.jar, which gets the current time) or fails like a compilation error.
     */
    private Path fakeBuild(boolean fails) throws IOException {
        Path built = tmp.resolve("built.jar");
        LauncherInstall.writeClassPathJar(built);
        Path calls = install.dir().resolve("mvn25.calls");
        Files.delete(install.dir().resolve("mvn25"));
        LauncherInstall.script(install.dir().resolve("mvn25"), "echo \"$*\" >> '" + calls + "'\n"
                + (fails ? "echo '[ERROR] Foo.java:[3,1] class, interface, enum, or record expected'; exit 1\n"
                         : "cp '" + built + "' '" + install.jar() + "'\n"));
        return calls;
    }

    /** Sets the jar's time an hour back and {@code changed}'s ten minutes back (newer than the jar). */
    private void touchNewerThanTheJar(String changed) throws IOException {
        Instant now = Instant.now();
        Path f = install.dir().resolve(changed);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "changed\n");
        Files.setLastModifiedTime(install.jar(), FileTime.from(now.minus(Duration.ofHours(1))));
        Files.setLastModifiedTime(f, FileTime.from(now.minus(Duration.ofMinutes(10))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"linker/src/main/java/org/longbel/linker/Foo.java", "pom.xml", "cli/pom.xml",
            "kb/src/main/resources/org/longbel/kb/table.txt"})
    void aSourceNewerThanTheJarRebuildsItFirst(String changed) throws Exception {
        Path calls = fakeBuild(false);
        touchNewerThanTheJar(changed);
        Subprocess p = Subprocess.run(install.longbel("--version"), TIMEOUT);
        assertEquals(0, p.exitCode(), p.stderr());
        assertEquals(List.of(BUILD_ARGS), Files.readAllLines(calls));
        assertEquals(List.of("longbel: building (first use or sources changed)..."), p.programStderrLines());
        assertEquals("longbel 0.1.0", p.stdout().strip(), "then the CLI runs");
    }

    @Test
    void aMissingJarIsBuilt() throws Exception {
        Path calls = fakeBuild(false);
        Files.delete(install.jar());
        Subprocess p = Subprocess.run(install.longbel("--version"), TIMEOUT);
        assertEquals(0, p.exitCode(), p.stderr());
        assertEquals(List.of(BUILD_ARGS), Files.readAllLines(calls));
        assertEquals("longbel 0.1.0", p.stdout().strip());
    }

    @Test
    void anUpToDateJarIsNotRebuiltAndBuildOutputsAreIgnored() throws Exception {
        Path calls = fakeBuild(false);
        // newer than the jar, but in places the launcher does not look: build outputs, git's directory
        touchNewerThanTheJar("linker/target/generated-sources/Gen.java");
        Path git = install.dir().resolve(".git/hooks/Hook.java");
        Files.createDirectories(git.getParent());
        Files.writeString(git, "x");
        Path older = install.dir().resolve("core/src/main/java/Old.java");
        Files.createDirectories(older.getParent());
        Files.writeString(older, "x");
        Files.setLastModifiedTime(older, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Subprocess p = Subprocess.run(install.longbel("--version"), TIMEOUT);
        assertEquals(0, p.exitCode(), p.stderr());
        assertFalse(Files.exists(calls), "no build: " + p.stderr());
        assertEquals(List.of(), p.programStderrLines());
        assertEquals("longbel 0.1.0", p.stdout().strip());
    }

    @Test
    void aFailedBuildShowsMavensOutputAndStops() throws Exception {
        Path calls = fakeBuild(true);
        touchNewerThanTheJar("cli/src/main/java/org/longbel/cli/Foo.java");
        Subprocess p = Subprocess.run(install.longbel("--version"), TIMEOUT);
        assertEquals(1, p.exitCode(), p.stderr());
        assertEquals(List.of(BUILD_ARGS), Files.readAllLines(calls));
        assertEquals(List.of("longbel: building (first use or sources changed)...",
                "[ERROR] Foo.java:[3,1] class, interface, enum, or record expected", "longbel: build failed"),
                p.programStderrLines());
        assertEquals("", p.stdout(), "the CLI does not run");
        assertTrue(Files.exists(install.jar()));
    }
}
