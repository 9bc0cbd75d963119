package org.longbel.linker.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@link AtomicOutputFile}s neither committed nor closed, and one shutdown hook that deletes their temporary files
 * when the JVM exits (Ctrl-C, SIGTERM, {@code System.exit}), whatever the thread writing them is doing: an interrupted
 * run leaves the targets as they were and no temporary file. A file is created here, under the same lock the hook
 * takes, so that none can appear after the hook has swept.
 */
final class PendingTemps {
    private static final Set<AtomicOutputFile> OPEN = new LinkedHashSet<>(); // guarded by PendingTemps.class
    private static boolean exiting;                                          // guarded by PendingTemps.class

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(PendingTemps::discardAll, "longbel-partial-files"));
        } catch (IllegalStateException alreadyExiting) {
            exiting = true;
        }
    }

    private PendingTemps() {
    }

    /** Creates {@code temp} (it must not exist) for {@code file} and registers the file; refused once the JVM exits. */
    static synchronized OutputStream create(AtomicOutputFile file, Path temp) throws IOException {
        if (exiting) throw new IOException("the program is exiting");
        // created and opened in one call, so a failure cannot leave an empty temporary file behind; created like any
        // new file (the umask decides its permissions, unlike createTempFile's 0600)
        OutputStream s = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OPEN.add(file);
        return s;
    }

    /** The file is committed or closed: its temporary file is gone or renamed. */
    static synchronized void done(AtomicOutputFile file) {
        OPEN.remove(file);
    }

    /** The shutdown hook: no file may be created from now on; the open ones are discarded. */
    private static void discardAll() {
        List<AtomicOutputFile> open;
        synchronized (PendingTemps.class) {
            exiting = true;
            open = new ArrayList<>(OPEN);
        }
        // outside the lock: close() takes each file's own lock, which commit() holds while calling done()
        for (AtomicOutputFile f : open) f.discard();
    }
}
