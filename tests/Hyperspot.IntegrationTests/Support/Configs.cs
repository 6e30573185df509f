namespace Hyperspot.IntegrationTests.Support;

/// <summary>YAML configurations for the tests; {home}, {port} and {service} are filled in by <see cref="TestServer"/>.</summary>
public static class Configs
{
    public static string Tracing(
        string endpoint,
        string kind = "otlp_grpc",
        string sampler = "strategy: \"always_on\"",
        string extraTracing = "",
        string exporterExtra = "",
        string logging = "",
        string propagation = "w3c_trace_context: true\n    baggage: true") => $$"""
        server:
          home_dir: "{home}"
          port: {port}
        tracing:
          enabled: true
          service_name: "{service}"
          exporter:
            kind: "{{kind}}"
            endpoint: "{{endpoint}}"
            timeout_ms: 5000
            {{Indent(exporterExtra, 4)}}
          {{Indent(extraTracing, 2)}}
          sampler:
            {{sampler}}
          propagation:
            {{propagation}}
          resource:
            service.version: "1.2.3"
            deployment.environment: "it"
          http:
            inject_request_id_header: "x-request-id"
            record_headers: ["user-agent", "x-forwarded-for", "authorization", "X-Api-Key"]
        logging:
          default:
            console_level: "info"
            file: "logs/hyperspot.log"
            file_level: "debug"
          {{Indent(logging, 2)}}
        """;

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select((line, i) => i == 0 ? line : new string(' ', spaces) + line));
}
