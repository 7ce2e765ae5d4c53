package io.leakwatch.app.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;

/**
 * The web dashboard: static pages (HTML, CSS, plain JavaScript) from the classpath folder {@code /dashboard}, served
 * under {@value #PATH}, that read the query API; and the chart library uPlot from its WebJar under {@code /webjars}.
 * Everything is in the jar: the pages load nothing from another host.
 * <pre>
 * /dashboard/               overview: alerts over time by type, money at risk by currency, top accounts, dead letters
 * /dashboard/account.html?id=acct-00027   one account: revenue against its baseline band, alerts, risk
 * /dashboard/alerts.html    the live alert feed, with the alert actions
 * </pre>
 * A browser asking for {@code /} (it accepts HTML) is sent to the overview; other clients get the JSON index.
 */
public final class Dashboard {
    public static final String PATH = "/dashboard/";

    private Dashboard() {
    }

    public static void addTo(JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = "/dashboard";
            files.directory = "/dashboard";
            files.location = Location.CLASSPATH;
        });
        config.staticFiles.enableWebjars();
    }
}
