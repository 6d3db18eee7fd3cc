package io.smtpd.impl.command;

import java.util.Map;

import io.smtpd.api.Dsn;
import io.smtpd.api.reply.Reply;
import io.smtpd.impl.parse.DsnParser;
import io.smtpd.impl.parse.Parameters;
import io.smtpd.impl.protocol.Conversation;
import io.smtpd.impl.protocol.EnvelopeState;
import io.smtpd.server.ServerSettings;

/**
 * The MAIL and RCPT parameters of the extensions beyond aiosmtpd, each only when offered: BODY=BINARYMIME
 * (RFC 3030), RET and ENVID (RFC 3461), REQUIRETLS (RFC 8689); NOTIFY and ORCPT on RCPT. Each check removes the
 * parameters it understood, leaving the unknown ones for the 555 of aiosmtpd.
 */
final class MailExtensions {
    /** What MAIL asked for, recorded on the envelope once MAIL is accepted. */
    record Mail(Reply refusal, Dsn.Mail dsn, boolean requireTls) {
        void apply(EnvelopeState envelope) {
            envelope.dsn(dsn);
            envelope.requireTls(requireTls);
        }
    }

    /** What RCPT asked for; {@code dsn} is {@code null} when DSN is not offered. */
    record Rcpt(Reply refusal, Dsn.Recipient dsn) {
    }

    private MailExtensions() {
    }

    static Mail mail(Conversation c, String rest, Map<String, String> params) {
        ServerSettings settings = c.settings();
        if (settings.chunking() && !settings.decodeData() && "BINARYMIME".equals(params.get("BODY"))) {
            params.remove("BODY");
        }
        Dsn.Mail dsn = Dsn.Mail.NONE;
        if (settings.dsn() && (params.containsKey("RET") || params.containsKey("ENVID"))) {
            Map<String, String> raw = DsnParser.raw(rest);
            Dsn.Ret ret = null;
            if (params.remove("RET") != null) {
                ret = DsnParser.ret(raw.get("RET"));
                if (ret == null) {
                    return new Mail(EsmtpReplies.S501_BAD_RET, null, false);
                }
            }
            String envid = null;
            if (params.remove("ENVID") != null) {
                envid = DsnParser.envid(raw.get("ENVID"));
                if (envid == null) {
                    return new Mail(EsmtpReplies.S501_BAD_ENVID, null, false);
                }
            }
            dsn = new Dsn.Mail(ret, envid);
        }
        boolean requireTls = false;
        if (settings.requireTlsExtension() && params.containsKey("REQUIRETLS")) {
            String value = params.remove("REQUIRETLS");
            if (!value.equals(Parameters.NO_VALUE)) {
                return new Mail(EsmtpReplies.S501_REQUIRETLS_NO_ARGUMENTS, null, false);
            }
            if (!c.session().isTls()) {
                return new Mail(EsmtpReplies.S530_REQUIRETLS_NEEDS_TLS, null, false);
            }
            requireTls = true;
        }
        return new Mail(null, dsn, requireTls);
    }

    static Rcpt rcpt(Conversation c, String address, String rest, Map<String, String> params) {
        if (!c.settings().dsn()) {
            return new Rcpt(null, null);
        }
        Map<String, String> raw = null;
        java.util.Set<Dsn.Notify> notify = java.util.Set.of();
        if (params.remove("NOTIFY") != null) {
            raw = DsnParser.raw(rest);
            notify = DsnParser.notify(raw.get("NOTIFY"));
            if (notify == null) {
                return new Rcpt(EsmtpReplies.S501_BAD_NOTIFY, null);
            }
        }
        String type = null;
        String original = null;
        if (params.remove("ORCPT") != null) {
            if (raw == null) {
                raw = DsnParser.raw(rest);
            }
            String[] orcpt = DsnParser.orcpt(raw.get("ORCPT"));
            if (orcpt == null) {
                return new Rcpt(EsmtpReplies.S501_BAD_ORCPT, null);
            }
            type = orcpt[0];
            original = orcpt[1];
        }
        return new Rcpt(null, new Dsn.Recipient(address, notify, type, original));
    }
}
