package org.medida.edge.dlms;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * How the driver talks to meters.
 *
 * @param stateDirectory where the invocation counter of every HLS5 meter is kept across restarts
 * @param clientSystemTitle the gateway's 8-byte system title for HLS5-GMAC (3 manufacturer letters + 5 bytes)
 * @param connectTimeout how long opening a TCP connection to a meter or its modem may take
 * @param requestTimeout how long one request may wait for the meter's answer
 * @param retries how many times a conversation that timed out or could not connect is tried again
 * @param retryBackoff the wait before the first retry, doubled before each further one
 * @param parallelChannels how many channels are talked to at the same time
 */
public record DriverSettings(Path stateDirectory, byte[] clientSystemTitle, Duration connectTimeout,
        Duration requestTimeout, int retries, Duration retryBackoff, int parallelChannels) {

    public DriverSettings {
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        if (clientSystemTitle == null || clientSystemTitle.length != 8) {
            throw new IllegalArgumentException("the client system title has 8 bytes");
        }
        if (!isPositiveMillis(connectTimeout) || !isPositiveMillis(requestTimeout)) {
            throw new IllegalArgumentException("the connect and request timeouts must be at least 1 ms and "
                    + "below 2^31 ms");
        }
        if (retries < 0 || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("retries and their backoff cannot be negative");
        }
        if (parallelChannels < 1) {
            throw new IllegalArgumentException("at least one channel must be served");
        }
        clientSystemTitle = clientSystemTitle.clone();
    }

    /** jDLMS and the socket API take timeouts as int milliseconds, where 0 means none. */
    private static boolean isPositiveMillis(Duration timeout) {
        return timeout.toMillis() >= 1 && timeout.toMillis() <= Integer.MAX_VALUE;
    }

    /**
     * Defaults for a gateway: 10 s to connect (a cellular modem may take seconds), 5 s per request, 2 retries from
     * 500 ms, 8 channels at once.
     */
    public static DriverSettings defaults(Path stateDirectory) {
        return new DriverSettings(stateDirectory, HexFormat.of().parseHex("4D45440000000001"), Duration.ofSeconds(10),
                Duration.ofSeconds(5), 2, Duration.ofMillis(500), 8);
    }

    public DriverSettings withConnectTimeout(Duration timeout) {
        return new DriverSettings(stateDirectory, clientSystemTitle, timeout, requestTimeout, retries, retryBackoff,
                parallelChannels);
    }

    public DriverSettings withRequestTimeout(Duration timeout) {
        return new DriverSettings(stateDirectory, clientSystemTitle, connectTimeout, timeout, retries, retryBackoff,
                parallelChannels);
    }

    public DriverSettings withRetries(int count, Duration backoff) {
        return new DriverSettings(stateDirectory, clientSystemTitle, connectTimeout, requestTimeout, count, backoff,
                parallelChannels);
    }

    public DriverSettings withParallelChannels(int channels) {
        return new DriverSettings(stateDirectory, clientSystemTitle, connectTimeout, requestTimeout, retries,
                retryBackoff, channels);
    }

    @Override
    public byte[] clientSystemTitle() {
        return clientSystemTitle.clone();
    }

    /** The manufacturer part of the system title, as jDLMS takes it. */
    String manufacturerId() {
        return new String(clientSystemTitle, 0, 3, StandardCharsets.US_ASCII);
    }

    /** The 5-byte device part of the system title, as jDLMS takes it. */
    long deviceId() {
        long id = 0;
        for (int i = 3; i < 8; i++) {
            id = id << 8 | clientSystemTitle[i] & 0xFF;
        }
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DriverSettings s && stateDirectory.equals(s.stateDirectory)
                && Arrays.equals(clientSystemTitle, s.clientSystemTitle)
                && connectTimeout.equals(s.connectTimeout) && requestTimeout.equals(s.requestTimeout)
                && retries == s.retries
                && retryBackoff.equals(s.retryBackoff) && parallelChannels == s.parallelChannels;
    }

    @Override
    public int hashCode() {
        return Objects.hash(stateDirectory, Arrays.hashCode(clientSystemTitle), connectTimeout, requestTimeout,
                retries, retryBackoff, parallelChannels);
    }

    @Override
    public String toString() {
        return "DriverSettings[state " + stateDirectory + ", system title "
                + HexFormat.of().formatHex(clientSystemTitle) + ", connect timeout " + connectTimeout
                + ", request timeout " + requestTimeout + ", " + retries + " retries from " + retryBackoff + ", "
                + parallelChannels + " channels]";
    }
}
