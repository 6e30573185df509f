using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// The standard OpenTelemetry environment variables as a configuration layer over the <c>tracing</c> section,
/// between the YAML file and the <c>APP__</c> variables. The metrics variables (<c>OTEL_METRICS_EXPORTER</c>,
/// <c>OTEL_METRIC_EXPORT_INTERVAL</c>) set the <c>metrics</c> section; <c>OTEL_SDK_DISABLED=true</c> turns off both.
/// </summary>
public sealed class OtelEnvironmentSource(IDictionary environment) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(environment);

    internal sealed class Provider(IDictionary environment) : IndexedConfigurationProvider
    {
        /// <summary>Variables whose value cannot be used, reported with the other configuration errors.</summary>
        public IReadOnlyList<(string Path, string Message)> Problems { get; private set; } = [];

        protected override void LoadData()
        {
            var problems = new List<(string Path, string Message)>();
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            string? Get(string name) => environment[name] is string value && value.Length > 0 ? value : null;

            if (Get("OTEL_RESOURCE_ATTRIBUTES") is { } attributes)
            {
                foreach (var (key, value) in ParsePairs(attributes))
                {
                    if (key == "service.name")
                    {
                        data["tracing:service_name"] = value;
                    }
                    else
                    {
                        data[$"tracing:resource:{key}"] = value;
                    }
                }
            }

            if (Get("OTEL_SERVICE_NAME") is { } serviceName)
            {
                data["tracing:service_name"] = serviceName;
            }

            if (Get("OTEL_SDK_DISABLED") is { } disabled && disabled.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                data["tracing:enabled"] = "false";
                data["metrics:enabled"] = "false";
            }

            if (Get("OTEL_METRICS_EXPORTER") is { } metricsExporter)
            {
                ReadMetricsExporter(metricsExporter, data, problems);
            }

            if (Get("OTEL_METRIC_EXPORT_INTERVAL") is { } interval)
            {
                data["metrics:export_interval_ms"] = interval;
            }

            if (Get("OTEL_EXPORTER_OTLP_ENDPOINT") is { } endpoint)
            {
                data["tracing:exporter:endpoint"] = Get("OTEL_EXPORTER_OTLP_PROTOCOL") == "http/protobuf" ? WithTracesPath(endpoint) : endpoint;
            }

            if (Get("OTEL_EXPORTER_OTLP_PROTOCOL") is { } protocol)
            {
                data["tracing:exporter:kind"] = protocol switch
                {
                    "grpc" => "otlp_grpc",
                    "http/protobuf" => "otlp_http",
                    _ => protocol,
                };
            }

            if (Get("OTEL_EXPORTER_OTLP_HEADERS") is { } headers)
            {
                foreach (var (key, value) in ParsePairs(headers))
                {
                    data[$"tracing:exporter:headers:{key}"] = value;
                }
            }

            if (Get("OTEL_EXPORTER_OTLP_TIMEOUT") is { } timeout)
            {
                data["tracing:exporter:timeout_ms"] = timeout;
            }

            if (Get("OTEL_TRACES_SAMPLER") is { } sampler)
            {
                data["tracing:sampler:strategy"] = sampler;
            }

            if (Get("OTEL_TRACES_SAMPLER_ARG") is { } samplerArg)
            {
                data["tracing:sampler:ratio"] = samplerArg;
            }
            else if (Get("OTEL_TRACES_SAMPLER") is { } named
                && ConfigNames.TryParse<SamplerStrategy>(named, out var strategy) && strategy is SamplerStrategy.Ratio or SamplerStrategy.ParentBasedRatio)
            {
                // The specification's default argument for the ratio samplers.
                data["tracing:sampler:ratio"] = "1.0";
            }

            Data = data;
            Problems = problems;
        }

        /// <summary>
        /// <c>none</c> turns metrics off; <c>otlp</c> (the specification's default) leaves <c>metrics.enabled</c> as
        /// configured; any other exporter is not one this server has.
        /// </summary>
        private static void ReadMetricsExporter(string value, Dictionary<string, string?> data, List<(string Path, string Message)> problems)
        {
            var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (names.Any(n => n.Equals("none", StringComparison.OrdinalIgnoreCase)))
            {
                data["metrics:enabled"] = "false";
                return;
            }

            foreach (var name in names.Where(n => !n.Equals("otlp", StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add(("metrics", $"OTEL_METRICS_EXPORTER: '{ShownValue.EscapeControls(name.Length > 64 ? name[..64] + "…" : name)}' is not supported; use otlp or none"));
            }
        }

        /// <summary>
        /// OTEL_EXPORTER_OTLP_ENDPOINT is the base for every signal: for OTLP/HTTP the specification appends
        /// <c>/v1/traces</c> to whatever path it has (<c>http://collector:4318/otlp</c> → <c>/otlp/v1/traces</c>).
        /// </summary>
        private static string WithTracesPath(string endpoint) =>
            Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            && uri.AbsolutePath.TrimEnd('/') is { Length: > 0 } path
            && !path.EndsWith(ExporterSettings.TracesPath, StringComparison.Ordinal)
                ? new UriBuilder(uri) { Path = uri.AbsolutePath.TrimEnd('/') + ExporterSettings.TracesPath }.Uri.ToString()
                : endpoint;

        /// <summary>The W3C-baggage-like <c>key=value,key=value</c> list the OpenTelemetry specification uses; values are percent-decoded.</summary>
        private static IEnumerable<(string Key, string Value)> ParsePairs(string list)
        {
            foreach (var item in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = item.IndexOf('=');
                if (equals <= 0)
                {
                    continue;
                }

                yield return (Uri.UnescapeDataString(item[..equals].Trim()), Uri.UnescapeDataString(item[(equals + 1)..].Trim()));
            }
        }
    }
}
