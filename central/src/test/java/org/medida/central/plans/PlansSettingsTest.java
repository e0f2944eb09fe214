package org.medida.central.plans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The plans' command-line settings: a bad webhook URL or delay is refused, naming the option. */
class PlansSettingsTest {

    @Test
    void takesAnHttpWebhookAndTheDelay() {
        Plans.Settings settings = Plans.Settings.of("https://mdm.example:8443/results", 60);
        assertEquals(URI.create("https://mdm.example:8443/results"), settings.resultsWebhook());
        assertEquals(Duration.ofMinutes(1), settings.redeliverAfter());
        assertNull(Plans.Settings.of(null, Plans.Settings.DEFAULT_RETRY_SECONDS).resultsWebhook());
        assertEquals(Duration.ofHours(1), Plans.Settings.of(null, Plans.Settings.DEFAULT_RETRY_SECONDS)
                .redeliverAfter());
    }

    @Test
    void refusesWhatIsNotAnHttpUrl() {
        for (String bad : new String[] {"mdm.example/results", "ftp://mdm.example/results", "http://", "http://a b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Plans.Settings.of(bad, 60));
            assertEquals("--results-webhook must be an http or https URL like https://mdm.example/medida/results: "
                    + bad, e.getMessage());
        }
    }

    @Test
    void refusesANonPositiveDelay() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plans.Settings.of("http://127.0.0.1/results", 0));
        assertEquals("--results-retry-seconds must be at least 1: 0", e.getMessage());
    }
}
