package io.mcphub.telemetry;

import io.mcphub.telemetry.model.OAuthOutcome;
import io.mcphub.telemetry.model.OAuthPhase;
import java.time.Duration;

/** One step of an OAuth flow. There is deliberately no field for a token, code or secret. */
public record OAuthFlow(String flowId, String server, String grantType, OAuthPhase phase, OAuthOutcome outcome,
                        Duration duration, String error) {
}
