package io.mcphub.telemetry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ServerNameRulesTest {

    private static final String STDIO = "node /opt/mcp/node_modules/@modelcontextprotocol/server-everything/dist/index.js stdio";

    @Test
    void aGlobMatchesTheWholeEndpointAndTheFirstMatchingEntryWins() {
        ServerNameRules rules = ServerNameRules.parse(
                "everything=*server-everything*, java-tools=http://127.0.0.1:9001/*,any-http=http*");
        assertEquals("everything", rules.nameOf(STDIO));
        assertEquals("java-tools", rules.nameOf("http://127.0.0.1:9001/mcp"));
        assertEquals("any-http", rules.nameOf("http://127.0.0.1:9002/mcp"), "9001/* does not match port 9002");
        assertNull(rules.nameOf("npx -y other"));
        assertNull(rules.nameOf(null));
    }

    @Test
    void globCharactersAreTheOnlySpecialOnes() {
        ServerNameRules rules = ServerNameRules.parse("dots=http://a.b:1/m?p,exact=python3 server.py");
        assertEquals("dots", rules.nameOf("http://a.b:1/mcp"), "? is one character");
        assertNull(rules.nameOf("http://aXb:1/mcp"), "a dot is a dot");
        assertEquals("exact", rules.nameOf("python3 server.py"));
        assertNull(rules.nameOf("python3 server.py --debug"), "no '*': the whole endpoint must match");
        assertNull(rules.nameOf("Python3 server.py"), "case-sensitive");
    }

    @Test
    void blankIsNoRules() {
        assertTrue(ServerNameRules.parse("").isEmpty());
        assertTrue(ServerNameRules.parse(" , ").isEmpty());
        assertNull(ServerNameRules.parse(null).nameOf(STDIO));
    }

    @Test
    void aBadEntryIsNamedWithWhatIsWrong() {
        assertEquals("entry 'everything' is not name=pattern (expected name=pattern, e.g. everything=*server-everything*)",
                assertThrows(IllegalArgumentException.class, () -> ServerNameRules.parse("a=b*,everything")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerNameRules.parse("=*x*")).getMessage()
                .startsWith("entry '=*x*' has no name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerNameRules.parse("x=")).getMessage()
                .startsWith("entry 'x=' has no pattern"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServerNameRules.parse("a*b=x")).getMessage()
                .startsWith("entry 'a*b=x' has a name that is not"));
    }

    @Test
    void theSettingIsValidatedWithItsOriginAndTheBadEntry() {
        ConfigException e = assertThrows(ConfigException.class, () -> TelemetryConfig.builder(Map.of(), new Properties())
                .agentArguments("tenant=acme,serverNames=ok=*ok*,broken").build());
        assertEquals("invalid telemetry setting agent argument serverNames = 'ok=*ok*,broken': entry 'broken' is not "
                + "name=pattern (expected name=pattern, e.g. everything=*server-everything*)", e.getMessage());
        ConfigException env = assertThrows(ConfigException.class, () -> TelemetryConfig.builder(
                Map.of("MCP_TELEMETRY_SERVER_NAMES", "x="), new Properties()).build());
        assertTrue(env.getMessage().startsWith("invalid telemetry setting environment variable MCP_TELEMETRY_SERVER_NAMES"),
                env.getMessage());
    }

    @Test
    void inAgentArgumentsEntriesWhoseNameIsNoSettingStayInTheValue() {
        TelemetryConfig c = TelemetryConfig.builder(Map.of(), new Properties())
                .agentArguments("serverNames=everything=*server-everything*,github=*server-github*,tenant=acme,"
                        + "flushIntervalMs=50").build();
        assertEquals("acme", c.tenant());
        assertEquals(50, c.flushInterval().toMillis());
        assertEquals("github", c.serverNames().nameOf("npx -y @modelcontextprotocol/server-github"));
        assertEquals("everything", c.serverNames().nameOf(STDIO));
    }
}
