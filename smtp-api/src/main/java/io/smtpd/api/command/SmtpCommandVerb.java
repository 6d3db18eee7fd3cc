package io.smtpd.api.command;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares the service properties of an {@link SmtpCommand} DS component: the OSGi form of aiosmtpd's
 * {@code @syntax}. Each element becomes the property {@code smtp.command.<element>}.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface SmtpCommandVerb {
    String PREFIX_ = "smtp.command.";

    /** The verb, for example {@code PING}. */
    String verb();

    /** What {@code HELP verb} shows; empty leaves the command out of HELP. */
    String syntax() default "";

    /** What HELP appends after EHLO. */
    String extendedSyntax() default "";

    /** A keyword to add to the EHLO reply. */
    String ehloKeyword() default "";

    /** Whether HELO/EHLO must come first. */
    boolean requiresHelo() default false;

    /** Whether AUTH must come first when the server requires authentication. */
    boolean requiresAuth() default false;
}
