package org.medida.edge.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.medida.edge.api.MeterInventory;

/**
 * Upserts a meters file into the inventory, and again whenever the file changes (its modification time or size).
 * Meters missing from a later version of the file stay as they are: taking a meter out is a state change, not a
 * deletion.
 */
final class MetersImport {

    private static final Logger LOG = Logger.getLogger(MetersImport.class.getName());

    /** What one import did. */
    record Result(int imported, List<String> problems) {
    }

    private final Path file;
    private final MeterInventory inventory;
    private final Clock clock;
    private FileTime importedModified;
    private long importedSize = -1;

    MetersImport(Path file, MeterInventory inventory, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.inventory = inventory;
        this.clock = clock;
    }

    /** Imports the file if it changed since the last import; empty result when it did not or is missing. */
    synchronized Result importIfChanged() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (modified.equals(importedModified) && size == importedSize) {
                return new Result(0, List.of());
            }
            Result result = importNow(Files.readAllLines(file, StandardCharsets.UTF_8));
            importedModified = modified;
            importedSize = size;
            return result;
        } catch (IOException | RuntimeException e) {
            // a broken file or database must not stop later imports: the next check tries again
            LOG.log(Level.WARNING, "cannot import the meters file {0}: {1}", new Object[] {file, e.toString()});
            return new Result(0, List.of("cannot import " + file + ": " + e.getMessage()));
        }
    }

    private Result importNow(List<String> lines) {
        MetersFile.Contents contents = MetersFile.parse(lines);
        for (String problem : contents.problems()) {
            LOG.log(Level.WARNING, "meters file {0}, {1} (skipped)", new Object[] {file, problem});
        }
        for (MetersFile.Entry entry : contents.meters()) {
            inventory.register(entry.meter(), entry.state(), clock.instant());
        }
        LOG.log(Level.INFO, "meters file {0}: {1} meters imported, {2} lines skipped",
                new Object[] {file, contents.meters().size(), contents.problems().size()});
        return new Result(contents.meters().size(), contents.problems());
    }
}
