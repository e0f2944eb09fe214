package org.medida.protocol;

/** The third byte of every payload: which message the body holds. Codes are part of the wire format. */
enum MessageType {
    BATCH(1, "data batch"),
    BATCH_ACK(2, "batch acknowledgement"),
    GATEWAY_STATUS(3, "gateway status"),
    TASK(4, "command request"),
    OUTCOME(5, "command outcome"),
    INVENTORY_CHANGE(6, "inventory change"),
    INVENTORY_RESULT(7, "inventory result"),
    SIGNED_TASK(8, "signed command request");

    private final int code;
    private final String description;

    MessageType(int code, String description) {
        this.code = code;
        this.description = description;
    }

    int code() {
        return code;
    }

    String description() {
        return description;
    }

    static String describe(int code) {
        for (MessageType type : values()) {
            if (type.code == code) {
                return "a " + type.description + " (type " + code + ")";
            }
        }
        return "unknown message type " + code;
    }
}
