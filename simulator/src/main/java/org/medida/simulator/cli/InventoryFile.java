package org.medida.simulator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.medida.simulator.SimulatedMeter;

/**
 * Writes a fleet as the gateway's meters file (the format of {@code edge-bundles/inventory/README.md}), so that an
 * edge runtime can be pointed at the fleet: one HLS5-GMAC line per meter with the keys of {@code MeterKeys.derive}.
 * The file holds secrets: it is written readable by its owner only where the file system allows.
 */
public final class InventoryFile {

    static final String HEADER = "serial,transport,host,port,logical_device,physical_address,channel,security,"
            + "password,encryption_key,authentication_key,state";

    private InventoryFile() {
    }

    public static void write(List<SimulatedMeter> meters, Path file) throws IOException {
        HexFormat hex = HexFormat.of();
        List<String> lines = new ArrayList<>();
        lines.add("# meters of a simulated fleet, management client with HLS5-GMAC");
        lines.add(HEADER);
        for (SimulatedMeter m : meters) {
            String transport = m.transport().name();
            String host = m.serialDevice() != null ? m.serialDevice() : "127.0.0.1";
            lines.add(String.join(",", m.serial(), transport, host, Integer.toString(m.port()),
                    Integer.toString(m.logicalDevice()), Integer.toString(m.physicalAddress()), "", "HLS5_GMAC",
                    hex.formatHex(m.keys().password()), hex.formatHex(m.keys().encryptionKey()),
                    hex.formatHex(m.keys().authenticationKey()), "COMMISSIONED"));
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        temporary.toFile().setReadable(false, false);
        temporary.toFile().setReadable(true, true);
        Files.write(temporary, lines, StandardCharsets.UTF_8);
        // replaced in one step, so that a gateway watching the file never imports half of it
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
