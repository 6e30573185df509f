using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Hyperspot.Deployment.Tests.Support;

/// <summary>A published port: host port -> container port.</summary>
internal sealed record PortMapping(int HostPort, int ContainerPort, string Protocol);

/// <summary>A volume entry of a service. <see cref="IsBind"/> is true when the source is a host path.</summary>
internal sealed record VolumeMount(string Source, string Target, bool ReadOnly, bool IsBind);

/// <summary>Read-only view of the repository's docker-compose.yml (short and long syntax).</summary>
internal sealed class ComposeFile
{
    public const string FileName = "docker-compose.yml";

    private ComposeFile(YamlMappingNode root)
    {
        Root = root;
    }

    public YamlMappingNode Root { get; }

    public static ComposeFile Load() => new(Yaml.LoadMapping(FileName));

    public YamlMappingNode Services => Root.Map("services");

    public IEnumerable<string> ServiceNames => Services.Entries().Select(e => e.Key);

    public bool HasService(string name) => Services.Has(name);

    public YamlMappingNode Service(string name)
    {
        Assert.True(HasService(name), $"{FileName} has no service '{name}'.");
        return Services.Map(name, "services");
    }

    /// <summary>
    /// The service's image as written, with every <c>${VAR:-default}</c> or <c>${VAR}</c> replaced the way compose
    /// does when none of the variables is set: by its default, or by nothing.
    /// </summary>
    public string DefaultImage(string service) => WithDefaults(Service(service).Str("image", $"services.{service}"));

    /// <summary>The top-level networks the file declares.</summary>
    public IEnumerable<string> DeclaredNetworks =>
        Root.Get("networks") is YamlMappingNode map ? map.Entries().Select(e => e.Key) : [];

    /// <summary>The networks a service is attached to; a service without <c>networks</c> is on <c>default</c>.</summary>
    public IReadOnlyList<string> Networks(string service) =>
        Service(service).Get("networks") switch
        {
            YamlSequenceNode seq => seq.Strings($"services.{service}.networks"),
            YamlMappingNode map => [.. map.Entries().Select(e => e.Key)],
            _ => ["default"],
        };

    /// <summary>The service's <c>command</c> as a list of arguments (exec form), or empty.</summary>
    public IReadOnlyList<string> Command(string service) =>
        Service(service).Get("command") switch
        {
            YamlSequenceNode seq => seq.Strings($"services.{service}.command"),
            YamlScalarNode { Value: { } text } => text.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            _ => [],
        };

    internal static string WithDefaults(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-(?<default>[^}]*))?\}", m => m.Groups["default"].Value);

    public IReadOnlyList<string> Profiles(string service) =>
        Service(service).Get("profiles") is YamlSequenceNode seq
            ? seq.Strings($"services.{service}.profiles")
            : [];

    public IReadOnlyList<PortMapping> Ports(string service)
    {
        var result = new List<PortMapping>();
        if (Service(service).Get("ports") is not YamlSequenceNode seq)
        {
            return result;
        }

        foreach (var item in seq.Children)
        {
            switch (item)
            {
                case YamlScalarNode { Value: { } text }:
                    result.Add(ParseShortPort(service, text));
                    break;
                case YamlMappingNode map:
                    result.Add(new PortMapping(
                        ParsePort(service, map.Str("published")),
                        ParsePort(service, map.Str("target")),
                        map.OptStr("protocol") ?? "tcp"));
                    break;
                default:
                    Assert.Fail($"Unsupported port entry in service '{service}'.");
                    break;
            }
        }

        return result;
    }

    /// <summary>The container port published on <paramref name="hostPort"/>, or null.</summary>
    public int? ContainerPortFor(string service, int hostPort) =>
        Ports(service).FirstOrDefault(p => p.HostPort == hostPort)?.ContainerPort;

    public IReadOnlyDictionary<string, string> Environment(string service)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (Service(service).Get("environment"))
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Entries())
                {
                    result[key] = (value as YamlScalarNode)?.Value ?? string.Empty;
                }

                break;
            case YamlSequenceNode seq:
                foreach (var entry in seq.Strings($"services.{service}.environment"))
                {
                    var eq = entry.IndexOf('=', StringComparison.Ordinal);
                    result[eq < 0 ? entry : entry[..eq]] = eq < 0 ? string.Empty : entry[(eq + 1)..];
                }

                break;
        }

        return result;
    }

    public IReadOnlyList<VolumeMount> Volumes(string service)
    {
        var result = new List<VolumeMount>();
        if (Service(service).Get("volumes") is not YamlSequenceNode seq)
        {
            return result;
        }

        foreach (var item in seq.Children)
        {
            switch (item)
            {
                case YamlScalarNode { Value: { } text }:
                {
                    var parts = text.Split(':');
                    Assert.True(parts.Length is 2 or 3, $"Unsupported volume '{text}' in service '{service}'.");
                    var readOnly = parts.Length == 3 && parts[2].Split(',').Contains("ro");
                    result.Add(new VolumeMount(parts[0], parts[1], readOnly, IsHostPath(parts[0])));
                    break;
                }

                case YamlMappingNode map:
                {
                    var type = map.OptStr("type") ?? "volume";
                    var source = map.OptStr("source") ?? string.Empty;
                    result.Add(new VolumeMount(
                        source,
                        map.Str("target"),
                        Yaml.IsTrue(map.OptStr("read_only")),
                        type == "bind"));
                    break;
                }

                default:
                    Assert.Fail($"Unsupported volume entry in service '{service}'.");
                    break;
            }
        }

        return result;
    }

    /// <summary>depends_on as service -> condition (list syntax means service_started).</summary>
    public IReadOnlyDictionary<string, string> DependsOn(string service)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (Service(service).Get("depends_on"))
        {
            case YamlSequenceNode seq:
                foreach (var name in seq.Strings($"services.{service}.depends_on"))
                {
                    result[name] = "service_started";
                }

                break;
            case YamlMappingNode map:
                foreach (var (name, value) in map.Entries())
                {
                    result[name] = value is YamlMappingNode cond
                        ? cond.OptStr("condition") ?? "service_started"
                        : "service_started";
                }

                break;
        }

        return result;
    }

    /// <summary>The healthcheck test command joined into one string, or null when there is none.</summary>
    public string? HealthcheckTest(string service)
    {
        if (Service(service).Get("healthcheck") is not YamlMappingNode hc)
        {
            return null;
        }

        return hc.Get("test") switch
        {
            YamlScalarNode { Value: { } text } => text,
            YamlSequenceNode seq => string.Join(' ', seq.Strings($"services.{service}.healthcheck.test")),
            _ => null,
        };
    }

    public IEnumerable<string> DeclaredVolumes =>
        Root.Get("volumes") is YamlMappingNode map ? map.Entries().Select(e => e.Key) : [];

    private static bool IsHostPath(string source) =>
        source.StartsWith('.') || source.StartsWith('/') || source.StartsWith('~');

    private static PortMapping ParseShortPort(string service, string text)
    {
        var protocol = "tcp";
        var spec = text;
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            protocol = spec[(slash + 1)..];
            spec = spec[..slash];
        }

        // [ip:]host:container
        var parts = spec.Split(':');
        Assert.True(parts.Length >= 2, $"Port '{text}' of service '{service}' must publish a host port (host:container).");
        return new PortMapping(
            ParsePort(service, parts[^2]),
            ParsePort(service, parts[^1]),
            protocol);
    }

    private static int ParsePort(string service, string text)
    {
        Assert.True(
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536,
            $"'{text}' in service '{service}' is not a single port number.");
        return port;
    }
}
