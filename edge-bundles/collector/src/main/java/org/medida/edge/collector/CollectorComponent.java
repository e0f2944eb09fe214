package org.medida.edge.collector;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.medida.edge.api.ClockReading;
import org.medida.edge.api.MeterDriver;
import org.medida.edge.api.MeterInventory;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.OnDemandWork;
import org.medida.edge.api.ReadingStore;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.tasks.ClockPolicy;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Runs a {@link Collector} over the gateway's driver, store and inventory, configured through Configuration Admin
 * (PID {@value #PID}), and offers it as {@link OnDemandWork}. A clock beyond the policy's maximum deviation is
 * posted as an EventAdmin event on {@value #CLOCK_ALARM_TOPIC} (when EventAdmin is there) and logged.
 */
// Immediate: the schedule must run even when no other bundle (uplink, shell) has asked for the on-demand service.
@Component(name = CollectorComponent.PID, service = OnDemandWork.class, immediate = true)
@Designate(ocd = CollectorComponent.Config.class)
public final class CollectorComponent implements OnDemandWork {

    static final String PID = "org.medida.edge.collector";
    static final String CLOCK_ALARM_TOPIC = "org/medida/edge/collector/CLOCK_ALARM";

    private static final System.Logger LOG = System.getLogger(CollectorComponent.class.getName());

    @ObjectClassDefinition(id = PID, name = "Medida collector",
            description = "Scheduled collection from the gateway's commissioned meters into the reading store.")
    @interface Config {
        @AttributeDefinition(description = "Load profiles read incrementally (OBIS codes).")
        String[] profiles() default CollectorSettings.LOAD_PROFILE;

        @AttributeDefinition(description = "Seconds between two load profile collections of a meter.")
        long profileEverySeconds() default 900;

        @AttributeDefinition(description = "Profile entries read at most in one conversation.")
        int chunkEntries() default 96;

        @AttributeDefinition(description = "Depth of the meters' profile buffer in entries: older entries are gone.")
        int profileBufferEntries() default 960;

        @AttributeDefinition(description = "How many hours back a meter is read the first time.")
        long initialBackfillHours() default 24;

        @AttributeDefinition(description = "Time of day (HH:mm) after midnight when the daily billing closure "
                + "is read.")
        String billingTime() default "00:10";

        @AttributeDefinition(description = "Time zone of the billing day.")
        String billingZone() default "UTC";

        @AttributeDefinition(description = "Seconds between two event log readings of a meter.")
        long eventsEverySeconds() default 3600;

        @AttributeDefinition(description = "Seconds between two readings of power, voltage and current; 0: never.")
        long instantaneousEverySeconds() default 0;

        @AttributeDefinition(description = "Seconds between two clock checks of a meter; 0: never.")
        long clockEverySeconds() default 3600;

        @AttributeDefinition(description = "A clock deviation below this (seconds) is left alone.")
        long clockMinDeviationSeconds() default 5;

        @AttributeDefinition(description = "A clock deviation above this (seconds) raises an alarm instead of "
                + "a correction.")
        long clockMaxDeviationSeconds() default 3600;

        @AttributeDefinition(description = "How many meters are worked on at the same time.")
        int parallelMeters() default 8;
    }

    private final Collector collector;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Activate
    public CollectorComponent(Config config, @Reference MeterDriver driver, @Reference ReadingStore store,
            @Reference MeterInventory inventory) {
        this.collector = new Collector(driver, store, inventory, settingsOf(config), Clock.systemUTC(),
                this::raiseClockAlarm);
        collector.start();
    }

    static CollectorSettings settingsOf(Config config) {
        return new CollectorSettings(Arrays.asList(config.profiles()),
                Duration.ofSeconds(config.profileEverySeconds()), config.chunkEntries(),
                config.profileBufferEntries(), Duration.ofHours(config.initialBackfillHours()),
                LocalTime.parse(config.billingTime()), ZoneId.of(config.billingZone()),
                Duration.ofSeconds(config.eventsEverySeconds()), Duration.ofSeconds(config.instantaneousEverySeconds()),
                Duration.ofSeconds(config.clockEverySeconds()),
                new ClockPolicy(Duration.ofSeconds(config.clockMinDeviationSeconds()),
                        Duration.ofSeconds(config.clockMaxDeviationSeconds())),
                config.parallelMeters());
    }

    private void raiseClockAlarm(String serial, ClockReading reading) {
        LOG.log(System.Logger.Level.WARNING, "ALARM: clock of {0} deviates by {1}, beyond what is corrected",
                serial, reading.deviation());
        EventAdmin events = eventAdmin;
        if (events != null) {
            events.postEvent(new Event(CLOCK_ALARM_TOPIC, Map.of("serial", serial,
                    "deviationSeconds", reading.deviation().toSeconds(), "meterTime", reading.meterTime().toString(),
                    "gatewayTime", reading.gatewayTime().toString())));
        }
    }

    @Override
    public CompletionStage<TaskOutcome> submit(MeterTask task) {
        return collector.submit(task);
    }

    @Deactivate
    void deactivate() {
        collector.close();
    }
}
