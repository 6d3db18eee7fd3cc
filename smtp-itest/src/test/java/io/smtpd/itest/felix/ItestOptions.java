package io.smtpd.itest.felix;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.UrlProvisionOption;

/**
 * The one list of what runs in the Felix container (felix healthcheck's {@code U.config()}): every jar that
 * maven-dependency-plugin copied into {@code target/bundles}, that is, the smtpd bundles of this build, MINA,
 * SCR, Configuration Admin, Metatype and slf4j with SPI Fly. SPI Fly, ASM and slf4j start first (start level 1),
 * so that slf4j binds its provider before anything logs.
 */
public final class ItestOptions {
    private ItestOptions() {
    }

    public static Option[] config() {
        File dir = new File(System.getProperty("itest.bundles", "target/bundles"));
        File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no bundles in " + dir + ": run the build through Maven");
        }
        Arrays.sort(jars);
        List<Option> options = new ArrayList<>(List.of(cleanCaches(true), junitBundles()));
        for (File jar : jars) {
            UrlProvisionOption option = bundle(jar.toURI().toString());
            options.add(startsFirst(jar.getName()) ? option.startLevel(1) : option);
        }
        return options.toArray(new Option[0]);
    }

    private static boolean startsFirst(String name) {
        return name.startsWith("org.apache.aries.spifly") || name.startsWith("asm") || name.startsWith("slf4j");
    }
}
