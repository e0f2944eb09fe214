package org.medida.protocol;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The topic scheme, version 1: everything of a gateway lives under {@code medida/v1/gw/<gatewayId>/}, so a broker
 * ACL can confine each gateway to its own subtree. A later incompatible scheme gets a new root ({@code medida/v2}).
 */
public final class Topics {

    public static final String ROOT = "medida/v1/gw/";

    /** Central's subscription to every gateway's data batches. */
    public static final String ALL_BATCHES = ROOT + "+/batch";
    /** Central's subscription to every gateway's birth and last will. */
    public static final String ALL_STATUS = ROOT + "+/status";
    /** Central's subscription to every gateway's command outcomes. */
    public static final String ALL_COMMAND_RESULTS = ROOT + "+/cmd/result";

    /** Central's subscription to every gateway's answers to inventory changes. */
    public static final String ALL_INVENTORY_RESULTS = ROOT + "+/inventory/result";

    private static final Pattern GATEWAY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern GATEWAY_TOPIC = Pattern.compile("medida/v1/gw/([^/]+)/.+");

    private Topics() {
    }

    /** Gateway → central, QoS 1: data batches ({@link Payloads#encodeBatch}). */
    public static String batch(String gatewayId) {
        return of(gatewayId, "batch");
    }

    /** Central → gateway, QoS 1: {@link BatchAck}s. */
    public static String ack(String gatewayId) {
        return of(gatewayId, "ack");
    }

    /** Gateway → central, QoS 1, retained: the birth {@link GatewayStatus}; the same topic carries the last will. */
    public static String status(String gatewayId) {
        return of(gatewayId, "status");
    }

    /** Central → gateway, QoS 1: command requests ({@link org.medida.edge.api.MeterTask}). */
    public static String commandRequest(String gatewayId) {
        return of(gatewayId, "cmd/request");
    }

    /** Gateway → central, QoS 1: command outcomes ({@link org.medida.edge.api.TaskOutcome}). */
    public static String commandResult(String gatewayId) {
        return of(gatewayId, "cmd/result");
    }

    /** Central → gateway, QoS 1: changes of the gateway's meter table ({@link InventoryChange}). */
    public static String inventoryRequest(String gatewayId) {
        return of(gatewayId, "inventory/request");
    }

    /** Gateway → central, QoS 1: answers to inventory changes ({@link InventoryResult}). */
    public static String inventoryResult(String gatewayId) {
        return of(gatewayId, "inventory/result");
    }

    /** The gateway a topic belongs to; empty if the topic is outside the scheme or names an invalid gateway id. */
    public static Optional<String> gatewayOf(String topic) {
        if (topic == null) {
            return Optional.empty();
        }
        Matcher matcher = GATEWAY_TOPIC.matcher(topic);
        if (!matcher.matches() || !isValidGatewayId(matcher.group(1))) {
            return Optional.empty();
        }
        return Optional.of(matcher.group(1));
    }

    /** 1 to 64 letters, digits, dots, dashes or underscores: safe in a topic level, an ACL pattern and a file name. */
    public static boolean isValidGatewayId(String gatewayId) {
        return gatewayId != null && GATEWAY_ID.matcher(gatewayId).matches();
    }

    private static String of(String gatewayId, String leaf) {
        if (!isValidGatewayId(gatewayId)) {
            throw new IllegalArgumentException("invalid gateway id: " + gatewayId);
        }
        return ROOT + gatewayId + "/" + leaf;
    }
}
