package org.medida.central.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.CentralFixture;
import org.medida.edge.api.MeterTask;
import org.medida.edge.api.RegisterReading;
import org.medida.edge.api.SupplyState;
import org.medida.edge.api.TaskKind;
import org.medida.edge.api.TaskOutcome;
import org.medida.edge.api.TaskStatus;
import org.medida.protocol.GatewayStatus;
import org.medida.protocol.Payloads;
import org.medida.protocol.Topics;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard's orders and plans in headless Chromium, written against the contract of the work-order and plan
 * features (POST /api/workorders, GET /api/workorders/{id}, POST /api/plans, GET /api/plans/{id}): disconnect a
 * meter and see the relay open, reconnect it, read it, then create a plan over the gateway and follow it to the
 * end. A scripted gateway answers every task it is sent. Needs the workorders and plans features merged.
 */
class DashboardOrdersBrowserTest {

    @TempDir
    Path dir;

    private DashboardFleet fleet;
    private MqttClient gateway;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        fleet = DashboardFleet.start(dir, Clock.systemUTC());
        fleet.commission();
        gateway = answeringGateway(fleet.broker.url(), "gw-1");
        browser = Browser.start(dir.resolve("chromium-profile"), fleet.central.httpPort());
        browser.logIn("admin", CentralFixture.ADMIN_PASSWORD);
        browser.awaitText(By.id("operator"), "admin (admin)");
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (gateway != null) {
            gateway.disconnect();
            gateway.close();
        }
        fleet.close();
    }

    @Test
    void disconnectAndReconnectAMeterAndWatchTheResultArrive() throws Exception {
        browser.open("/meters/" + DashboardFleet.FULL);
        browser.await(By.id("disconnect")).click();
        browser.awaitText(By.id("order-state"), "DISCONNECT EXE");
        browser.awaitText(By.id("relay"), "open (supply off)");
        browser.screenshot("meter-disconnected");
        browser.driver.findElement(By.id("reconnect")).click();
        browser.awaitText(By.id("order-state"), "RECONNECT EXE");
        browser.awaitText(By.id("relay"), "closed (supply on)");
        browser.driver.findElement(By.id("read")).click();
        browser.awaitText(By.id("order-state"), "READ_REGISTERS EXE");
        assertTrue(browser.await(By.id("order-registers")).getText().contains("1.0.1.8.0.255 12345.678 Wh"));
        browser.open("/audit");
        String audit = browser.await(By.id("audit-list")).getText();
        assertTrue(audit.contains("DISCONNECT") || audit.contains("workorder"), audit);
    }

    @Test
    void createAPlanAndFollowItToTheEnd() throws Exception {
        browser.open("/plans");
        browser.await(By.name("name")).sendKeys("Registers of gw-1");
        new Select(browser.driver.findElement(By.name("targetKind"))).selectByVisibleText("gateway");
        browser.driver.findElement(By.name("targetValue")).sendKeys("gw-1");
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        browser.script("document.getElementsByName('firstDay')[0].value = arguments[0];"
                + "document.getElementsByName('lastDay')[0].value = arguments[0];", today);
        browser.driver.findElement(By.id("create-plan")).click();
        browser.awaitText(By.id("count-exe"), "3");
        assertEquals("0", browser.driver.findElement(By.id("count-fail")).getText());
        browser.screenshot("plan-live");
    }

    /** A gateway that answers each task: relay tasks with the relay as commanded, reads with two registers. */
    private static MqttClient answeringGateway(String brokerUrl, String id) throws Exception {
        MqttClient client = new MqttClient(brokerUrl, "answering-" + id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        client.publish(Topics.status(id), Payloads.encodeStatus(new GatewayStatus(true, 11, Instant.now(), "test 1.0")),
                1, true);
        client.subscribe(Topics.commandRequest(id), 1, (topic, message) -> {
            MeterTask task = Payloads.decodeRequest(message.getPayload()).task();
            Instant now = Instant.now();
            SupplyState supply = switch (task.kind()) {
                case DISCONNECT -> new SupplyState(false, SupplyState.DISCONNECTED);
                case RECONNECT -> new SupplyState(true, SupplyState.CONNECTED);
                default -> null;
            };
            List<RegisterReading> registers = task.kind() == TaskKind.READ_REGISTERS
                    ? List.of(new RegisterReading("1.0.1.8.0.255", new java.math.BigDecimal("12345.678"), "Wh", null, now),
                            new RegisterReading("1.0.2.8.0.255", new java.math.BigDecimal("45.6"), "Wh", null, now))
                    : List.of();
            // answered from another thread: Paho does not allow publishing from its callback
            new Thread(() -> {
                try {
                    client.publish(Topics.commandResult(id), Payloads.encodeOutcome(new TaskOutcome(
                            task.correlationId(), task.serial(), TaskStatus.EXE, "", now, registers, supply)), 1, false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).start();
        });
        return client;
    }
}
