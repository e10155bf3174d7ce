import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/** A tiny MCP client on the SDK 1.x line: connects, lists tools, makes two calls, exits. */
public class Sdk1Client {
    public static void main(String[] args) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(args[0])
                .endpoint("/mcp").build();
        McpSyncClient client = McpClient.sync(transport).build();
        client.initialize();
        System.out.println("tools: " + client.listTools().tools().size());
        McpSchema.CallToolResult add = client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", 2, "b", 3)));
        System.out.println("add -> " + ((McpSchema.TextContent) add.content().get(0)).text());
        McpSchema.CallToolResult fail = client.callTool(new McpSchema.CallToolRequest("fail", Map.of()));
        System.out.println("fail -> isError=" + fail.isError());
        client.closeGracefully();
    }
}
