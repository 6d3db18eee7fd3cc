/**
 * An example bundle: {@link io.smtpd.example.ExampleHandler}, a handler service named {@code example}, and
 * {@link io.smtpd.example.PingCommand}, the PING command. Both are plain DS components; nothing is exported.
 */
package io.smtpd.example;
