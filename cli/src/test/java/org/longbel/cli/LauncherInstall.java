package org.longbel.cli;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A throwaway copy of the repository's launcher scripts ({@code longbel}, {@code mvn25}, {@code bin/find-jdk25.sh}) in
 * a directory of its own, with a {@code cli/target/longbel.jar} that holds only a manifest whose {@code Class-Path}
 * is this test JVM's class path (the shaded jar is built at {@code package}, after the tests). The scripts are the
 * real ones, unchanged: {@code ./longbel} finds the JDK, decides whether the jar is stale and runs
 * {@code org.longbel.cli.Main} from the jar, as it does in a checkout.
 */
final class LauncherInstall {
    /** The scripts copied, relative to the repository root. */
    static final List<String> SCRIPTS = List.of("longbel", "mvn25", "bin/find-jdk25.sh");

    private final Path dir;

    private LauncherInstall(Path dir) {
        this.dir = dir;
    }

    /** Copies the scripts into {@code dir} and writes the class-path jar. */
    static LauncherInstall create(Path dir) throws IOException {
        Path root = repositoryRoot();
        for (String s : SCRIPTS) {
            Path to = dir.resolve(s);
            Files.createDirectories(to.getParent());
            Files.copy(root.resolve(s), to);
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        LauncherInstall install = new LauncherInstall(dir);
        writeClassPathJar(install.jar());
        return install;
    }

    /** The repository root: the first directory at or above the working directory that holds the launcher. */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("longbel")) && Files.isRegularFile(p.resolve("bin/find-jdk25.sh"))) return p;
        }
        throw new IllegalStateException("no directory at or above " + Path.of("").toAbsolutePath() + " holds ./longbel");
    }

    /** A jar with only a manifest whose {@code Class-Path} lists this JVM's class path as {@code file:} URLs. */
    static void writeClassPathJar(Path jar) throws IOException {
        List<String> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) urls.add(Path.of(entry).toAbsolutePath().toUri().toString()); // a directory's ends in /
        }
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.finish();
        }
    }

    Path dir() {
        return dir;
    }

    Path jar() {
        return dir.resolve("cli/target/longbel.jar");
    }

    /**
     * {@code ./longbel args} run with this test's JDK 25 (JAVA_HOME), without the class cache (LONGBEL_AOT=off: its
     * training run takes seconds), with a 1 GiB heap and no hsperfdata file (it would count against a file-size
     * limit).
     */
    ProcessBuilder longbel(String... args) {
        List<String> command = new ArrayList<>(List.of(dir.resolve("longbel").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("LONGBEL_AOT", "off");
        env.put("LONGBEL_JAVA_OPTS", "-Xmx1g -XX:-UsePerfData");
        env.remove("LONGBEL_JDK_DIRS");
        return pb;
    }

    /** Writes an executable shell script. */
    static Path script(Path file, String body) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
