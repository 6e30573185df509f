using Hyperspot.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Hyperspot.Deployment.Tests;

/// <summary>Structure of docker-compose.yml: files it points at, images, profiles, ports and wiring.</summary>
public sealed class ComposeFileTests
{
    private const string UptraceConfig = "deploy/uptrace/uptrace.yml";
    private const string CollectorConfig = "deploy/otel-collector/config.yaml";
    private const string JaegerConfig = "deploy/jaeger/config.yaml";

    private readonly ComposeFile _compose = ComposeFile.Load();

    [Fact]
    public void Every_bind_mounted_host_path_exists()
    {
        var missing = new List<string>();
        foreach (var service in _compose.ServiceNames)
        {
            foreach (var mount in _compose.Volumes(service).Where(v => v.IsBind))
            {
                if (!Repo.Exists(mount.Source))
                {
                    missing.Add($"{service}: {mount.Source} -> {mount.Target}");
                }
            }
        }

        Assert.True(missing.Count == 0, "Bind-mounted host paths missing from the repository:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void Named_volumes_are_declared()
    {
        var declared = _compose.DeclaredVolumes.ToHashSet(StringComparer.Ordinal);
        foreach (var service in _compose.ServiceNames)
        {
            foreach (var mount in _compose.Volumes(service).Where(v => !v.IsBind && v.Source.Length > 0))
            {
                Assert.True(declared.Contains(mount.Source), $"Service '{service}' uses undeclared volume '{mount.Source}'.");
            }
        }
    }

    [Fact]
    public void Build_context_and_dockerfile_exist()
    {
        var built = _compose.ServiceNames.Where(s => _compose.Service(s).Has("build")).ToList();
        Assert.Contains("server", built);

        foreach (var service in built)
        {
            var build = _compose.Service(service).Get("build");
            string context;
            var dockerfile = "Dockerfile";
            if (build is YamlMappingNode map)
            {
                context = map.OptStr("context") ?? ".";
                dockerfile = map.OptStr("dockerfile") ?? dockerfile;
            }
            else
            {
                context = ((YamlScalarNode)build!).Value ?? ".";
            }

            Assert.True(Directory.Exists(Repo.PathOf(context)), $"Build context '{context}' of '{service}' does not exist.");
            var dockerfilePath = Path.Combine(Repo.PathOf(context), dockerfile);
            Assert.True(File.Exists(dockerfilePath), $"Dockerfile '{dockerfilePath}' of '{service}' does not exist.");
        }

        Assert.Equal(Repo.Root, Repo.PathOf(BuildContext("server")));
    }

    [Theory]
    [InlineData("jaeger", "jaegertracing/jaeger")]
    [InlineData("uptrace", "uptrace/uptrace:2.0.1")]
    [InlineData("clickhouse", "clickhouse/clickhouse-server:25.8")]
    [InlineData("postgres", "postgres:16")]
    [InlineData("redis", "redis:8.2")]
    [InlineData("otel-collector", "otel/opentelemetry-collector-contrib")]
    public void Images_are_the_expected_pinned_ones(string service, string expected)
    {
        var image = _compose.DefaultImage(service);
        if (expected.Contains(':', StringComparison.Ordinal))
        {
            Assert.Equal(expected, image);
        }
        else
        {
            Assert.StartsWith(expected + ":", image, StringComparison.Ordinal);
        }

        var tag = image[(image.LastIndexOf(':') + 1)..];
        Assert.NotEqual("latest", tag);
        Assert.True(tag.Any(char.IsDigit), $"Image '{image}' of '{service}' is not pinned to a version.");
    }

    [Theory]
    [InlineData("jaeger", "")]
    [InlineData("uptrace", "uptrace")]
    [InlineData("clickhouse", "uptrace")]
    [InlineData("postgres", "uptrace")]
    [InlineData("redis", "uptrace")]
    [InlineData("server", "server")]
    [InlineData("otel-collector", "collector")]
    public void Services_are_behind_the_expected_profile(string service, string profile)
    {
        var profiles = _compose.Profiles(service);
        if (profile.Length == 0)
        {
            Assert.Empty(profiles);
        }
        else
        {
            Assert.Equal([profile], profiles);
        }
    }

    [Fact]
    public void Jaeger_is_the_v2_image_with_the_guides_registry_and_version_variables()
    {
        var image = _compose.Service("jaeger").Str("image", "services.jaeger");
        var written = System.Text.RegularExpressions.Regex.Match(image, @"^\$\{REGISTRY:-\}jaegertracing/jaeger:\$\{JAEGER_VERSION:-(?<version>[^}]+)\}$");
        Assert.True(written.Success, $"The jaeger image must read '${{REGISTRY:-}}jaegertracing/jaeger:${{JAEGER_VERSION:-<version>}}' as in the guide, not '{image}'.");

        // v1 (all-in-one, 1.x) has reached its end of life: the default must be a 2.x release, not "latest".
        var version = written.Groups["version"].Value;
        Assert.Matches(@"^2\.\d+\.\d+$", version);
    }

    [Fact]
    public void Jaeger_runs_its_v2_configuration_with_the_guides_log_level()
    {
        var mount = Assert.Single(_compose.Volumes("jaeger"), v => v.Source.TrimStart('.', '/') == JaegerConfig);
        Assert.True(mount.IsBind);
        Assert.True(mount.ReadOnly, "Jaeger's configuration must be mounted read-only.");
        Assert.Contains($"--config={mount.Target}", _compose.Command("jaeger"));

        // The guide sets LOG_LEVEL=debug; v2 reads the level from its configuration, which takes it from LOG_LEVEL.
        Assert.Equal("debug", _compose.Environment("jaeger").GetValueOrDefault("LOG_LEVEL"));
        var level = Yaml.LoadMapping(JaegerConfig).Map("service").Map("telemetry", "service").Map("logs", "service.telemetry")
            .Str("level", "service.telemetry.logs");
        Assert.StartsWith("${env:LOG_LEVEL", level, StringComparison.Ordinal);
    }

    [Fact]
    public void Jaeger_publishes_ui_and_otlp_ports_where_its_configuration_listens()
    {
        Assert.Equal(16686, _compose.ContainerPortFor("jaeger", 16686));
        Assert.Equal(4317, _compose.ContainerPortFor("jaeger", 4317));
        Assert.Equal(4318, _compose.ContainerPortFor("jaeger", 4318));

        var protocols = Yaml.LoadMapping(JaegerConfig).Map("receivers").Map("otlp", "receivers").Map("protocols", "receivers.otlp");
        var grpc = protocols.Map("grpc", "protocols").Str("endpoint", "protocols.grpc");
        var http = protocols.Map("http", "protocols").Str("endpoint", "protocols.http");
        Assert.Equal("0.0.0.0:4317", grpc); // the collector's default, localhost, is unreachable from the host
        Assert.Equal("0.0.0.0:4318", http);
    }

    [Fact]
    public void Jaeger_is_on_the_guides_network_and_reachable_by_the_services_that_export_to_it()
    {
        Assert.Contains("jaeger-example", _compose.DeclaredNetworks);
        var jaeger = _compose.Networks("jaeger");
        Assert.Contains("jaeger-example", jaeger);
        foreach (var client in new[] { "server", "otel-collector" })
        {
            Assert.True(
                _compose.Networks(client).Intersect(jaeger).Any(),
                $"'{client}' exports to jaeger:4317 but shares no network with it ({string.Join(", ", jaeger)}).");
        }
    }

    [Fact]
    public void Uptrace_ports_map_to_the_listeners_in_its_config()
    {
        var listen = Yaml.LoadMapping(UptraceConfig).Map("listen");
        var httpPort = Listen.PortOf(listen.Map("http", "listen").Str("addr", "listen.http"));
        var grpcPort = Listen.PortOf(listen.Map("grpc", "listen").Str("addr", "listen.grpc"));

        // UI, API and OTLP/HTTP share Uptrace's HTTP listener; OTLP/gRPC has its own.
        Assert.Equal(httpPort, _compose.ContainerPortFor("uptrace", 14318));
        Assert.Equal(grpcPort, _compose.ContainerPortFor("uptrace", 14317));
        Assert.Equal(httpPort, _compose.ContainerPortFor("uptrace", 14319));
    }

    [Fact]
    public void Uptrace_mounts_its_config_where_uptrace_2_reads_it()
    {
        var mount = Assert.Single(_compose.Volumes("uptrace"), v => v.Target == "/etc/uptrace/config.yml");
        Assert.True(mount.IsBind);
        Assert.Equal(UptraceConfig, mount.Source.TrimStart('.', '/'));
    }

    [Fact]
    public void Uptrace_waits_for_healthy_stores()
    {
        var dependsOn = _compose.DependsOn("uptrace");
        foreach (var store in new[] { "clickhouse", "postgres", "redis" })
        {
            Assert.True(dependsOn.TryGetValue(store, out var condition), $"uptrace must depend on '{store}'.");
            Assert.Equal("service_healthy", condition);

            var test = _compose.HealthcheckTest(store);
            Assert.False(string.IsNullOrWhiteSpace(test), $"'{store}' needs a healthcheck for service_healthy to work.");
            Assert.DoesNotContain("NONE", test!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Store_credentials_match_the_uptrace_config()
    {
        var config = Yaml.LoadMapping(UptraceConfig);

        var shard = Assert.IsType<YamlMappingNode>(config.Map("ch_cluster").Seq("shards", "ch_cluster").Children[0]);
        var replica = Assert.IsType<YamlMappingNode>(shard.Seq("replicas", "ch_cluster.shards[0]").Children[0]);
        var ch = _compose.Environment("clickhouse");
        Assert.Equal("clickhouse", Listen.HostOf(replica.Str("addr")));
        Assert.Equal(ch["CLICKHOUSE_DB"], replica.Str("database"));
        Assert.Equal(ch["CLICKHOUSE_USER"], replica.Str("user"));
        Assert.Equal(ch["CLICKHOUSE_PASSWORD"], replica.Str("password"));

        var pg = config.Map("pg");
        var pgEnv = _compose.Environment("postgres");
        Assert.Equal("postgres", Listen.HostOf(pg.Str("addr")));
        Assert.Equal(pgEnv["POSTGRES_DB"], pg.Str("database"));
        Assert.Equal(pgEnv["POSTGRES_USER"], pg.Str("user"));
        Assert.Equal(pgEnv["POSTGRES_PASSWORD"], pg.Str("password"));
        Assert.Equal("uptrace", pgEnv["POSTGRES_DB"]);
        Assert.Equal("uptrace", pgEnv["POSTGRES_USER"]);
        Assert.Equal("uptrace", pgEnv["POSTGRES_PASSWORD"]);

        var redisAddrs = config.Map("redis_cache").Map("addrs", "redis_cache");
        Assert.All(redisAddrs.Entries(), e =>
            Assert.Equal("redis", Listen.HostOf(Assert.IsType<YamlScalarNode>(e.Value).Value!)));
    }

    [Fact]
    public void Server_exports_to_jaeger_through_app_environment_variables()
    {
        var env = _compose.Environment("server");
        Assert.Equal("true", env.GetValueOrDefault("APP__TRACING__ENABLED"));
        Assert.Equal("otlp_grpc", env.GetValueOrDefault("APP__TRACING__EXPORTER__KIND"));
        Assert.Equal("http://jaeger:4317", env.GetValueOrDefault("APP__TRACING__EXPORTER__ENDPOINT"));
        Assert.Equal("0.0.0.0", env.GetValueOrDefault("APP__SERVER__HOST"));
        Assert.Equal("8087", env.GetValueOrDefault("APP__SERVER__PORT"));
        Assert.Equal("/var/lib/hyperspot", env.GetValueOrDefault("APP__SERVER__HOME_DIR"));

        // The endpoint must reach a compose service on a port that service listens on.
        var endpoint = env["APP__TRACING__EXPORTER__ENDPOINT"];
        var host = Listen.HostOf(endpoint);
        Assert.True(_compose.HasService(host), $"'{host}' is not a compose service.");
        Assert.Contains(_compose.Ports(host), p => p.ContainerPort == Listen.PortOfEndpoint(endpoint));
        Assert.True(_compose.DependsOn("server").ContainsKey(host), $"server must depend on '{host}'.");
    }

    [Fact]
    public void Server_mounts_config_publishes_its_port_and_checks_healthz()
    {
        var config = Assert.Single(_compose.Volumes("server"), v => v.Target == "/etc/hyperspot/config.yaml");
        Assert.True(config.IsBind);
        Assert.True(config.ReadOnly, "The server configuration must be mounted read-only.");
        Assert.Equal("config/with-tracing.yaml", config.Source.TrimStart('.', '/'));

        var home = _compose.Environment("server")["APP__SERVER__HOME_DIR"];
        Assert.Contains(_compose.Volumes("server"), v => v.Target == home);

        Assert.Equal(8087, _compose.ContainerPortFor("server", 8087));

        var test = _compose.HealthcheckTest("server");
        Assert.NotNull(test);
        Assert.Contains("/healthz", test, StringComparison.Ordinal);
        Assert.Contains("8087", test, StringComparison.Ordinal);
    }

    [Fact]
    public void Collector_publishes_otlp_on_ports_that_do_not_clash_with_jaeger()
    {
        Assert.Equal(4317, _compose.ContainerPortFor("otel-collector", 24317));
        Assert.Equal(4318, _compose.ContainerPortFor("otel-collector", 24318));

        var receivers = Yaml.LoadMapping(CollectorConfig).Map("receivers").Map("otlp", "receivers")
            .Map("protocols", "receivers.otlp");
        Assert.Equal(4317, Listen.PortOf(receivers.Map("grpc").Str("endpoint")));
        Assert.Equal(4318, Listen.PortOf(receivers.Map("http").Str("endpoint")));

        var mount = Assert.Single(_compose.Volumes("otel-collector"), v => v.Target == "/etc/otelcol-contrib/config.yaml");
        Assert.Equal(CollectorConfig, mount.Source.TrimStart('.', '/'));
    }

    [Fact]
    public void Host_ports_are_unique()
    {
        var all = _compose.ServiceNames
            .SelectMany(s => _compose.Ports(s).Select(p => (Service: s, p.HostPort, p.Protocol)))
            .ToList();
        var clashes = all.GroupBy(p => (p.HostPort, p.Protocol)).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.HostPort}/{g.Key.Protocol}: {string.Join(", ", g.Select(x => x.Service))}")
            .ToList();
        Assert.True(clashes.Count == 0, "Host ports published twice:\n" + string.Join('\n', clashes));
    }

    private string BuildContext(string service) =>
        _compose.Service(service).Get("build") switch
        {
            YamlMappingNode map => map.OptStr("context") ?? ".",
            YamlScalarNode scalar => scalar.Value ?? ".",
            _ => ".",
        };
}
