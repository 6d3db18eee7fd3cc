package io.smtpd.itest.karaf;

import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.util.EnumSet;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import io.smtpd.itest.Servers;

/**
 * The {@code smtpd-shell} feature in Karaf: the smtp:* commands list and kill a live session, and the server's
 * counters reach the MBean server through Karaf's JMX. Scenarios in {@link KarafShellScenarios} (loaded after the
 * feature is installed, TOOLCHAIN gotcha 5).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafShellIT {
    @Inject
    private FeaturesService features;
    @Inject
    private ConfigurationAdmin configAdmin;
    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return KarafOptions.config();
    }

    @After
    public void deleteServers() throws Exception {
        Servers.deleteAll(context, configAdmin);
    }

    @Test
    public void theCommandsListAndKillALiveSessionAndJmxCounts() throws Exception {
        features.addRepository(URI.create("mvn:io.smtpd/smtp-features/"
                + System.getProperty(KarafOptions.SMTPD_VERSION) + "/xml/features"));
        features.installFeature("smtpd-shell", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        assertTrue(features.isInstalled(features.getFeature("smtpd-shell")));
        KarafShellScenarios.listKillAndCount(context, configAdmin);
    }
}
