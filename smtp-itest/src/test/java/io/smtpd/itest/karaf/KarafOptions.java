package io.smtpd.itest.karaf;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

import io.smtpd.itest.Servers;

/**
 * The Karaf under test: the apache-karaf tar.gz from the local repository, unpacked into {@code target/exam}, with
 * Maven resolution confined to this machine. Karaf's own {@code system/} folder and {@code target/karaf-repo} (this
 * build's artifacts, features.xml included, in repository layout) are its default repositories, the local
 * repository is the rest, and no remote repository is configured. Everything listens on 127.0.0.1 only.
 */
final class KarafOptions {
    /** System property (in the Karaf JVM) naming the version of the smtpd features repository. */
    static final String SMTPD_VERSION = "itest.smtpd.version";

    private KarafOptions() {
    }

    static Option[] config() {
        String karafVersion = System.getProperty("karaf.version");
        String mvnCfg = "etc/org.ops4j.pax.url.mvn.cfg";
        String buildRepository = new File(System.getProperty("itest.karaf.repo")).toURI().toString();
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.apache.karaf", "apache-karaf").version(karafVersion).type("tar.gz"))
                        .unpackDirectory(new File(System.getProperty("itest.karaf.unpack")))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.WARN),
                editConfigurationFilePut(mvnCfg, "org.ops4j.pax.url.mvn.localRepository",
                        System.getProperty("org.ops4j.pax.url.mvn.localRepository")),
                editConfigurationFilePut(mvnCfg, "org.ops4j.pax.url.mvn.defaultRepositories",
                        "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                                + buildRepository + "@id=smtpd.build@snapshots"),
                editConfigurationFilePut(mvnCfg, "org.ops4j.pax.url.mvn.repositories", ""),
                editConfigurationFilePut(mvnCfg, "org.ops4j.pax.url.mvn.offline", "true"),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1"),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryHost", "127.0.0.1"),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerHost", "127.0.0.1"),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort()),
                systemProperty(SMTPD_VERSION).value(System.getProperty("project.version")),
                // what bin/karaf passes on Java 9+; pax-exam-container-karaf 4.14.0 does not (TOOLCHAIN section 3)
                vmOptions(
                        "--add-reads=java.xml=java.logging",
                        "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                        "--patch-module=java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
                        "--patch-module=java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
                        "--add-opens=java.base/java.security=ALL-UNNAMED",
                        "--add-opens=java.base/java.net=ALL-UNNAMED",
                        "--add-opens=java.base/java.lang=ALL-UNNAMED",
                        "--add-opens=java.base/java.util=ALL-UNNAMED",
                        "--add-opens=java.naming/javax.naming.spi=ALL-UNNAMED",
                        "--add-opens=java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                        "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                        "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                        "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                        "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                        "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                        "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED"));
    }

    private static String freePort() {
        try {
            return Integer.toString(Servers.freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
