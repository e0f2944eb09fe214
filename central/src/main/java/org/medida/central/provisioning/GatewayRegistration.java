package org.medida.central.provisioning;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

import org.medida.protocol.Topics;

/**
 * A gateway's inventory record (M6), the body of {@code POST /api/gateways}: created if new, updated otherwise.
 * State {@code installed} (mounted, not in service yet), {@code in_service} or {@code retired}.
 */
public record GatewayRegistration(String id, String hardwareType, String hardwareSerial, String substation,
        String transformer, String timezone, String commType, String ip, String state) {

    GatewayRegistration validated() throws ProvisioningException {
        if (!Topics.isValidGatewayId(id)) {
            throw ProvisioningException.invalid("id must be 1 to 64 of A-Z a-z 0-9 . _ - (it names the gateway's "
                    + "MQTT topics), not '" + id + "'");
        }
        String zone = MeterRegistration.text("timezone", timezone);
        try {
            zone = zone.isEmpty() ? "UTC" : ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            throw ProvisioningException.invalid("timezone must be a time zone id like Europe/Rome, not '" + timezone
                    + "'");
        }
        return new GatewayRegistration(id, MeterRegistration.text("hardwareType", hardwareType),
                MeterRegistration.text("hardwareSerial", hardwareSerial),
                MeterRegistration.text("substation", substation), MeterRegistration.text("transformer", transformer),
                zone, MeterRegistration.text("commType", commType), MeterRegistration.text("ip", ip),
                MeterRegistration.oneOf("state", state, "in_service", List.of("installed", "in_service", "retired")));
    }
}
