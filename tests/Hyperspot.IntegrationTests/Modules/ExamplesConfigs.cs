namespace Hyperspot.IntegrationTests.Modules;

/// <summary>Server configurations for the examples module's tests: tracing off, a log file, the given module config.</summary>
public static class ExamplesConfigs
{
    /// <param name="examples">Lines under <c>modules.examples.config</c>, indented by six spaces; may be empty.</param>
    public static string Relay(string examples) => $$"""
        server:
          home_dir: "{home}"
          port: {port}
        logging:
          default:
            file: "logs/hyperspot.log"
        modules:
          examples:
            config:
              external_base_url: ""
        {{examples}}
        """;
}
