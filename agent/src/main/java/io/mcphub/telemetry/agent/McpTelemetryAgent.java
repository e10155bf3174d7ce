package io.mcphub.telemetry.agent;

import io.mcphub.telemetry.text.SecretScrubber;
import io.mcphub.telemetry.HubInstance;
import io.mcphub.telemetry.McpHubTelemetry;
import io.mcphub.telemetry.config.ConfigException;
import io.mcphub.telemetry.config.TelemetryConfig;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code -javaagent:mcp-telemetry-agent.jar[=key=value,...]} (and of attaching to a
 * running JVM). Never throws and never blocks the hub: bad configuration disables the agent with one
 * message; the instrumentation is installed beside the hub's start ({@link StartupGate}), and the
 * database connected in the background while records wait in the ring.
 */
public final class McpTelemetryAgent {

    /** Set once an agent of ours is active in this JVM: its version. */
    static final String ACTIVE_PROPERTY = "io.mcphub.telemetry.agent.active";
    private static volatile boolean started;

    private McpTelemetryAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static synchronized void start(String args, Instrumentation inst, boolean attachedLate) {
        // Two -javaagent flags naming this agent (or an attach after one) load one class: the second call
        // lands here. A copy loaded by another class loader sees the property.
        Object active = System.getProperties().putIfAbsent(ACTIVE_PROPERTY, McpHubTelemetry.AGENT_VERSION);
        if (started || active != null) {
            System.err.println("[mcp-telemetry] another " + (attachedLate ? "attach" : "-javaagent") + " of the MCP "
                    + "telemetry agent ignored: agent " + (active != null ? active : McpHubTelemetry.AGENT_VERSION)
                    + " already started in this JVM; only the first one runs, with its settings");
            return;
        }
        started = true;
        TelemetryConfig config;
        try {
            config = TelemetryConfig.builder().agentArguments(args).build();
        } catch (ConfigException e) {
            System.err.println("[mcp-telemetry] agent disabled: " + SecretScrubber.scrub(e.getMessage()));
            return;
        } catch (Throwable t) {
            System.err.println("[mcp-telemetry] agent disabled: cannot read its configuration: " + SecretScrubber.describe(t));
            return;
        }
        if (attachedLate) {
            // the hub runs already: nothing to start alongside, so install here
            install(config, inst, () -> {
            });
            return;
        }
        // premain returns at once: the installation (most of the agent's start-up) runs beside the hub's own
        // start, and the classes it instruments wait for it (StartupGate)
        StartupGate gate = new StartupGate(inst);
        inst.addTransformer(gate, true);
        Thread installer = new Thread(() -> {
            try {
                install(config, gate.instrumentation(), gate::rulesKnown);
            } finally {
                gate.abandon();
            }
        }, "mcp-telemetry-start");
        installer.setDaemon(true);
        gate.installer(installer);
        installer.start();
    }

    /**
     * The rules are made first, before telemetry starts, and {@code rulesKnown} runs as soon as they are: from
     * then on the start-up gate holds back only the classes a rule may advise (an SDK class the hub touches
     * first, such as {@code McpError}, no longer waits for the whole installation).
     */
    private static void install(TelemetryConfig config, Instrumentation inst, Runnable rulesKnown) {
        Logger log = LoggerFactory.getLogger(McpTelemetryAgent.class);
        try {
            Instrumentations rules = Instrumentations.prepare(inst);
            rulesKnown.run();
            AgentRuntime runtime = AgentRuntime.startInBackground(config,
                    new HubInstance(config.hubName(), config.hubVersion(), null, null, Map.of("mainCommand", mainCommand())));
            AgentTelemetry.set(runtime.telemetry());
            int installed = rules.install(inst, runtime.telemetry());
            log.info("MCP hub telemetry agent {} active for tenant {}: {} instrumentation modules",
                    McpHubTelemetry.AGENT_VERSION, config.tenant(), installed);
        } catch (Throwable t) {
            AgentTelemetry.set(null);
            log.error("MCP hub telemetry agent disabled: it failed to start; the hub runs unchanged", t);
        }
    }

    /** The hub's main class or jar, without its arguments (they may hold secrets). */
    private static String mainCommand() {
        String command = System.getProperty("sun.java.command", "");
        int space = command.indexOf(' ');
        return space < 0 ? command : command.substring(0, space);
    }
}
