package org.medida.central.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medida.central.CentralFixture;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium against a real central fed by a scripted gateway: log in (a wrong
 * password refused), the fleet, find a meter, its load-profile chart drawn, the gateway's heatmap, an operator
 * created, the audit log, and a support operator who sees no supply controls and is refused by the server.
 * Screenshots of each view go to target/screenshots (docs/screenshots with -Dmedida.screenshots=../docs/screenshots).
 */
class DashboardBrowserTest {

    @TempDir
    Path dir;

    private DashboardFleet fleet;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        fleet = DashboardFleet.start(dir);
        fleet.addOperations();
        browser = Browser.start(dir.resolve("chromium-profile"), fleet.central.httpPort());
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        fleet.close();
    }

    @Test
    void anOperatorFindsAMeterAndItsChartAndAnAdminManagesUsers() throws Exception {
        browser.logIn("admin", "not the password");
        assertEquals("wrong user name or password", browser.await(By.id("login-error")).getText());
        browser.screenshot("login");
        browser.logIn("admin", CentralFixture.ADMIN_PASSWORD);
        browser.awaitText(By.id("operator"), "admin (admin)");

        // fleet: one gateway online, one offline
        assertEquals("1 / 2", browser.await(By.cssSelector("#tile-gateways-online .value")).getText());
        assertTrue(browser.driver.findElement(By.id("gateways")).getText().contains("gw-1 online"));
        browser.screenshot("fleet");

        // find the meter, open it, see its chart drawn
        browser.open("/meters");
        browser.await(By.id("meter-query")).sendKeys("1000001");
        browser.driver.findElement(By.id("meter-search")).click();
        browser.await(By.linkText(DashboardFleet.FULL)).click();
        browser.awaitText(By.id("chart-note"), "intervals from");
        long points = Long.parseLong((String) browser.script("return document.getElementById('profile').dataset.points"));
        assertEquals(95, points, "a day of 96 values gives 95 consumptions");
        long painted = (Long) browser.script("""
                const c = document.getElementById('profile');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
                return n;""");
        assertTrue(painted > 2000, "the canvas is drawn: " + painted + " pixels");
        assertTrue(browser.driver.findElement(By.id("registers")).getText().contains("12345.678"));
        assertTrue(browser.driver.findElement(By.id("disconnect")).isDisplayed(), "an admin may disconnect");
        assertTrue(browser.driver.findElement(By.id("events")).getText().contains("power failure"));
        browser.screenshot("meter");

        // a chosen range: the two days before
        setValue("from", "2026-11-19T00:00");
        setValue("to", "2026-11-21T00:00");
        browser.driver.findElement(By.id("show")).click();
        browser.awaitText(By.id("chart-note"), "from 2026-11-19T00:00:00Z");
        // 96 values of the 19th and the 60 of the 20th (the hole): 155 consumptions
        assertEquals("155", browser.script("return document.getElementById('profile').dataset.points"));

        // the gateway's heatmap: full days 100, the hole two days ago, today nothing yet; nothing due (-) before a
        // meter's first interval or commissioning (at 06:00 four days ago), which is when the registers-only meter's
        // profile is missing from
        browser.open("/gateways/gw-1");
        assertEquals(List.of("100", "100", "100", "100", "63", "100", "0"), cells(DashboardFleet.FULL));
        assertEquals(List.of("\u2013", "\u2013", "0", "38", "58", "79", "0"), cells(DashboardFleet.PARTIAL));
        assertEquals(List.of("\u2013", "\u2013", "0", "0", "0", "0", "0"), cells(DashboardFleet.REGISTERS_ONLY));
        assertEquals("0 of 72", cell(DashboardFleet.PARTIAL, 2).getAttribute("title"), "due from 06:15");
        assertEquals("0 of 16", cell(DashboardFleet.FULL, 6).getAttribute("title"), "today: due up to 04:00");
        browser.screenshot("gateway");

        // operations pages (their rows as the features write them)
        browser.open("/workorders");
        assertTrue(browser.await(By.id("orders")).getText().contains("meter not responding"));
        browser.screenshot("workorders");
        browser.open("/plans");
        assertEquals("2", browser.await(By.cssSelector("#plan-list progress")).getAttribute("value"), "EXE and FAIL of 3");
        browser.screenshot("plans");
        browser.driver.findElement(By.linkText("Daily registers gw-1")).click();
        assertEquals("1", browser.await(By.id("count-fail")).getText());
        assertTrue(browser.driver.findElement(By.id("plan-meters")).getText().contains("meter not responding"));
        browser.screenshot("plan");
        browser.open("/alarms");
        assertTrue(browser.await(By.id("alarm-list")).getText().contains("meter not responding"));
        browser.screenshot("alarms");

        // an admin creates a support operator
        browser.open("/users");
        browser.await(By.id("new-username")).sendKeys("sam");
        browser.driver.findElement(By.id("new-password")).sendKeys("support password 1");
        browser.driver.findElement(By.id("create-user")).click();
        browser.awaitText(By.id("user-list"), "sam");
        browser.screenshot("users");
        browser.open("/audit");
        String audit = browser.await(By.id("audit-list")).getText();
        assertTrue(audit.contains("admin login admin"), audit);
        assertTrue(audit.contains("admin login.failed admin"), audit);
        assertTrue(audit.contains("admin user.create sam role=support"), audit);
        browser.screenshot("audit");

        // support: reads, sees no supply controls, and the server refuses a state change
        browser.driver.findElement(By.cssSelector("form.who button")).click();
        browser.await(By.id("login"));
        browser.logIn("sam", "support password 1");
        browser.awaitText(By.id("operator"), "sam (support)");
        browser.open("/meters/" + DashboardFleet.FULL);
        browser.awaitText(By.id("chart-note"), "intervals from");
        assertTrue(browser.driver.findElements(By.id("actions")).isEmpty(), "no disconnect button for support");
        assertTrue(browser.driver.findElements(By.linkText("Users")).isEmpty(), "no users page for support");
        Object status = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/users', {method: 'POST', headers: {'Content-Type': 'application/json'},
                  body: JSON.stringify({username: 'mallory', role: 'admin', password: '0123456789ab'})})
                  .then(r => r.text().then(t => done(r.status + ' ' + t)));""");
        assertEquals("403 {\"error\":\"needs the admin role; sam is support\"}", status);
    }

    private void setValue(String id, String value) {
        WebElement input = browser.driver.findElement(By.id(id));
        browser.script("arguments[0].value = arguments[1]", input, value);
    }

    private List<String> cells(String serial) {
        return row(serial).stream().map(WebElement::getText).toList();
    }

    private WebElement cell(String serial, int day) {
        return row(serial).get(day);
    }

    /** The heatmap's cells of the meter, oldest day first. */
    private List<WebElement> row(String serial) {
        WebElement row = browser.await(By.xpath("//table[@id='heatmap']//tr[td/a[text()='" + serial + "']]"));
        return row.findElements(By.tagName("td")).stream().skip(1).toList();
    }
}
