package org.medida.edge.uplink;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The uplink's log lines during a test. The uplink logs through {@link System.Logger}, which goes to
 * java.util.logging when no other backend is installed, as in these tests.
 */
final class LogRecords extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger(MqttUplink.LOGGER);
    private final List<LogRecord> records = new ArrayList<>();

    LogRecords() {
        logger.addHandler(this);
        logger.setLevel(Level.ALL);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
    }

    /** Lines at warning level or above that contain the text. */
    synchronized long problemsContaining(String text) {
        return records.stream()
                .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .filter(r -> r.getMessage().contains(text))
                .count();
    }

    synchronized List<String> messages() {
        return records.stream().map(LogRecord::getMessage).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
