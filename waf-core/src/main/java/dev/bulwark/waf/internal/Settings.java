package dev.bulwark.waf.internal;

import dev.bulwark.waf.Limits;
import dev.bulwark.waf.Mode;

/** The resolved engine settings. Internal. */
public record Settings(Mode mode, int paranoiaLevel, int inboundThreshold, int outboundThreshold, int blockStatus,
                       boolean anomalyScoring, boolean failOpen, boolean auditAll, Limits limits) {

    Settings withMode(Mode m) {
        return new Settings(m, paranoiaLevel, inboundThreshold, outboundThreshold, blockStatus, anomalyScoring,
                failOpen, auditAll, limits);
    }
}
