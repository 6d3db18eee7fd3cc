/**
 * What a HAProxy PROXY protocol header told the server.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.smtpd.api.proxy;
