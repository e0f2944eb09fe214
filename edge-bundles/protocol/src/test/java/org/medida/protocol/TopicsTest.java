package org.medida.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyTopicOfAGatewayLeadsBackToIt() {
        for (String topic : new String[] {Topics.batch("gw-1"), Topics.ack("gw-1"), Topics.status("gw-1"),
                Topics.commandRequest("gw-1"), Topics.commandResult("gw-1")}) {
            assertTrue(topic.startsWith("medida/v1/gw/gw-1/"), topic);
            assertEquals(Optional.of("gw-1"), Topics.gatewayOf(topic));
        }
    }

    @Test
    void topicsOutsideTheSchemeOrWithBadIdsHaveNoGateway() {
        assertEquals(Optional.empty(), Topics.gatewayOf("medida/v2/gw/gw-1/batch"));
        assertEquals(Optional.empty(), Topics.gatewayOf("medida/v1/gw/gw 1/batch"));
        assertEquals(Optional.empty(), Topics.gatewayOf("medida/v1/gw/gw-1"));
        assertEquals(Optional.empty(), Topics.gatewayOf("other/topic"));
        assertEquals(Optional.empty(), Topics.gatewayOf(null));
        assertFalse(Topics.isValidGatewayId("a".repeat(65)));
        assertFalse(Topics.isValidGatewayId("+"));
        assertThrows(IllegalArgumentException.class, () -> Topics.batch("#"));
    }
}
