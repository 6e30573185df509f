using System.Text;

namespace Hyperspot.Server.Tests.Support;

/// <summary>
/// Builds random YAML configurations out of the real keys: each chosen key gets a valid or an invalid value, and
/// some keys are misspelled. Returns the text and the dotted paths that must be reported.
/// </summary>
public static class RandomConfiguration
{
    private sealed record Key(string Path, string[] Valid, string[] Invalid);

    private static readonly string[] Bools = ["true", "false", "True", "FALSE"];
    private static readonly string[] NotBools = ["maybe", "yes", "1", "on"];
    private static readonly string[] Levels = ["trace", "debug", "info", "warn", "error", "off", "Information", "warning"];

    private static readonly Key[] Keys =
    [
        new("server.host", ["127.0.0.1", "0.0.0.0", "localhost", "\"::1\""], ["\"   \""]),
        new("server.port", ["0", "8087", "65535", "\"9000\""], ["-1", "65536", "abc", "8.5", "[1, 2]"]),
        new("server.enable_docs", Bools, NotBools),
        new("server.shutdown_timeout_ms", ["0", "5000", "600000"], ["-1", "600001", "later"]),
        new("tracing.enabled", Bools, NotBools),
        new("tracing.service_name", ["api", "\"my service\"", "svc-1"], ["\"  \""]),
        new("tracing.exporter.kind", ["otlp_grpc", "otlp_http", "OTLP_HTTP"], ["zipkin", "grpc", "[otlp_grpc]"]),
        new("tracing.exporter.endpoint", ["http://collector:9999", "https://collector.example/v1/traces", "http://[::1]:9000"], ["collector:9999", "ftp://collector", "\"not a url\""]),
        new("tracing.exporter.timeout_ms", ["1", "5000"], ["0", "-3", "soon", "{a: 1}"]),
        new("tracing.exporter.compression", ["none", "gzip", "GZIP"], ["brotli", "zip"]),
        new("tracing.exporter.headers.x-api-key", ["abc", "\"Bearer t0ken\""], ["[a, b]"]),
        new("tracing.sampler.strategy", ["always_on", "always_off", "parentbased_always_on", "parentbased_always_off"], ["sometimes", "random"]),
        new("tracing.sampler.ratio", ["0", "0.5", "1", "1e-2"], ["1.5", "-0.1", "half", "2"]),
        new("tracing.propagation.w3c_trace_context", Bools, NotBools),
        new("tracing.propagation.baggage", Bools, NotBools),
        new("tracing.resource.service.version", ["1.2.3", "\"2024.1\""], ["{major: 1}"]),
        new("tracing.http.inject_request_id_header", ["x-request-id", "x-correlation-id"], ["\"x request id\"", "\"x:id\""]),
        new("tracing.http.record_headers", ["[user-agent]", "[]", "[user-agent, x-forwarded-for]"], ["{a: b}"]),
        new("tracing.batch.max_queue_size", ["2048", "4096"], ["0", "big", "-2"]),
        new("tracing.batch.max_export_batch_size", ["1", "512"], ["0", "-5", "many"]),
        new("tracing.batch.scheduled_delay_ms", ["1", "1000"], ["0", "soon"]),
        new("logging.default.console_level", Levels, ["loud", "verbose"]),
        new("logging.default.file_level", Levels, ["quiet"]),
        new("logging.default.format", ["text", "json", "JSON"], ["xml", "yaml"]),
        new("logging.default.max_backups", ["0", "5"], ["-1", "lots"]),
        new("logging.default.max_size_mb", ["1", "100"], ["0", "huge"]),
        new("logging.default.file", ["logs/a.log", "b.log"], []),
        new("logging.Microsoft.AspNetCore.console_level", Levels, ["chatty"]),
        new("modules.examples.enabled", Bools, NotBools),
        new("modules.system.enabled", Bools, NotBools),
        new("modules.examples.config.external_base_url", ["http://localhost:9000", "https://api.example"], ["not-a-url", "ftp://files.example", "[a, b]"]),
    ];

    // Keys whose last segment must not be misspelled: a misspelled category or resource attribute is just another name.
    private static readonly string[] FreeFormParents = ["tracing.exporter.headers", "tracing.resource", "logging.Microsoft.AspNetCore"];

    public static (string Yaml, IReadOnlyList<string> BadKeys) Generate(Random random)
    {
        var chosen = Keys.Where(_ => random.Next(3) == 0).ToList();
        if (chosen.Count == 0)
        {
            chosen.Add(Keys[random.Next(Keys.Length)]);
        }

        var entries = new List<(string[] Segments, string Value)>();
        var bad = new List<string>();
        foreach (var key in chosen)
        {
            var segments = Split(key.Path);
            var roll = random.Next(10);
            if (roll < 2 && key.Invalid.Length > 0)
            {
                entries.Add((segments, key.Invalid[random.Next(key.Invalid.Length)]));
                bad.Add(key.Path);
            }
            else if (roll == 2 && !FreeFormParents.Any(p => key.Path.StartsWith(p + ".", StringComparison.Ordinal)))
            {
                var misspelled = Misspell(segments[^1], random);
                var path = string.Join('.', segments[..^1].Append(misspelled));
                if (Keys.Any(k => k.Path.Equals(path, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                // An empty [] or {} vanishes while the YAML is read, so a misspelled key gets a value that shows.
                var shown = key.Valid.Where(v => v is not ("[]" or "{}")).ToArray();
                entries.Add(([.. segments[..^1], misspelled], shown[random.Next(shown.Length)]));
                bad.Add(path);
            }
            else
            {
                entries.Add((segments, key.Valid[random.Next(key.Valid.Length)]));
            }
        }

        return (Emit(entries), bad);
    }

    /// <summary>Breaks the text: cuts it short, or drops in a character YAML cares about.</summary>
    public static string Corrupt(string yaml, Random random)
    {
        var position = random.Next(yaml.Length + 1);
        if (random.Next(2) == 0)
        {
            return yaml[..position];
        }

        const string Specials = ":[]{}\"'\t&*!|>%@`#,-?";
        return yaml.Insert(position, Specials[random.Next(Specials.Length)].ToString());
    }

    private static string[] Split(string path)
    {
        // Keys with dots (service.version, Microsoft.AspNetCore) are one segment.
        foreach (var dotted in new[] { "service.version", "Microsoft.AspNetCore" })
        {
            var index = path.IndexOf(dotted, StringComparison.Ordinal);
            if (index >= 0)
            {
                var before = path[..index].TrimEnd('.');
                var after = path[(index + dotted.Length)..].TrimStart('.');
                return [.. before.Split('.'), dotted, .. after.Length > 0 ? after.Split('.') : []];
            }
        }

        return path.Split('.');
    }

    private static string Misspell(string key, Random random)
    {
        if (key.Length > 3 && random.Next(2) == 0)
        {
            var i = random.Next(key.Length - 1);
            if (key[i] != key[i + 1])
            {
                return key[..i] + key[i + 1] + key[i] + key[(i + 2)..];
            }
        }

        return key + "s";
    }

    private static string Emit(List<(string[] Segments, string Value)> entries)
    {
        var text = new StringBuilder();
        string[] previous = [];
        foreach (var (segments, value) in entries.OrderBy(e => string.Join('\u0001', e.Segments[..^1]), StringComparer.Ordinal))
        {
            var common = 0;
            while (common < previous.Length && common < segments.Length - 1 && previous[common] == segments[common])
            {
                common++;
            }

            for (var level = common; level < segments.Length - 1; level++)
            {
                text.Append(' ', level * 2).Append(segments[level]).Append(":\n");
            }

            text.Append(' ', (segments.Length - 1) * 2).Append(segments[^1]).Append(": ").Append(value).Append('\n');
            previous = segments[..^1];
        }

        return text.ToString();
    }
}
