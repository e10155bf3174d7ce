package io.mcphub.telemetry.bench.springhub;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * The Spring Boot subject of the start-up benchmark (bench/startup.sh, BENCHMARKS.md §6): a web application
 * (embedded Tomcat) whose Spring AI MCP client ({@code spring-ai-starter-mcp-client}) connects at start to the
 * MCP server(s) in its properties and initializes them (Spring AI's default, {@code spring.ai.mcp.client.initialized}).
 * When the application is ready it lists each client's tools and prints one line,
 * {@code spring-boot-hub started ...}, which bench/startup/spring-hub-until-started.sh waits for.
 * <p>
 * {@code java -jar spring-boot-hub.jar --spring.ai.mcp.client.streamable-http.connections.java-tools.url=http://127.0.0.1:9001}
 */
@SpringBootApplication
public class SpringBootHub {

    public static void main(String[] args) {
        SpringApplication.run(SpringBootHub.class, args);
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> reportWhenReady(List<McpSyncClient> clients) {
        return event -> {
            String servers = clients.stream().map(SpringBootHub::describe).collect(Collectors.joining("; "));
            System.out.println("spring-boot-hub started in " + ManagementFactory.getRuntimeMXBean().getUptime()
                    + " ms (JVM uptime), port " + event.getApplicationContext().getEnvironment().getProperty("local.server.port")
                    + ", " + clients.size() + " MCP client(s) initialized: " + servers);
            System.out.flush();
        };
    }

    private static String describe(McpSyncClient client) {
        McpSchema.Implementation server = client.getServerInfo();
        String tools = client.listTools().tools().stream().map(McpSchema.Tool::name).collect(Collectors.joining(","));
        return (server == null ? "?" : server.name()) + " (initialized=" + client.isInitialized() + ") tools=[" + tools + "]";
    }
}
