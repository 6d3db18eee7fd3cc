package io.smtpd.itest.karaf;

import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.util.EnumSet;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Before;
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
 * The features repository in a real Karaf 4.4: {@code feature:repo-add} and {@code feature:install} from it, then
 * mail over a socket. This class names no smtpd type: the probe is scanned before the feature is installed, so the
 * scenarios live in {@link KarafScenarios}, loaded only after {@code installFeature} (TOOLCHAIN gotcha 5).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeatureIT {
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

    @Before
    public void addRepository() throws Exception {
        features.addRepository(featuresRepository());
    }

    @After
    public void deleteServers() throws Exception {
        Servers.deleteAll(context, configAdmin);
    }

    @Test
    public void theSmtpdFeatureDeliversMailToAHandlerService() throws Exception {
        install("smtpd");
        KarafScenarios.mailReachesAHandlerService(context, configAdmin);
    }

    @Test
    public void theExampleFeatureAnswersPing() throws Exception {
        install("smtpd-example");
        KarafScenarios.exampleAnswersPingAndAcceptsMail(context, configAdmin);
    }

    /**
     * The repository as a user adds it: {@code mvn:io.smtpd/smtp-features/VERSION/xml/features}. (Runs inside
     * Karaf, where {@link KarafOptions} and the Pax Exam Karaf options it uses are not available.)
     */
    private static URI featuresRepository() {
        return URI.create("mvn:io.smtpd/smtp-features/" + System.getProperty(KarafOptions.SMTPD_VERSION)
                + "/xml/features");
    }

    private void install(String feature) throws Exception {
        features.installFeature(feature, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        assertTrue(feature + " is installed", features.isInstalled(features.getFeature(feature)));
    }
}
