using Hyperspot.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Hyperspot.Deployment.Tests;

/// <summary>deploy/uptrace/uptrace.yml (Uptrace 2.x format) agrees with the DSN Hyperspot.NET uses.</summary>
public sealed class UptraceConfigTests
{
    private const string ConfigPath = "deploy/uptrace/uptrace.yml";
    private const string ServerUptraceConfig = "config/with-uptrace.yaml";

    private readonly YamlMappingNode _config = Yaml.LoadMapping(ConfigPath);
    private readonly UptraceDsn _dsn = UptraceDsn.Parse(UptraceDsn.Expected);

    [Fact]
    public void Has_the_sections_uptrace_2_requires()
    {
        // 2.x: projects and tokens are seeded under seed_data, ClickHouse is configured as a cluster,
        // listeners are objects with an addr. The 1.x keys (projects, ch.dsn, listen.grpc: ':14317') are gone.
        foreach (var section in new[] { "service", "site", "listen", "seed_data", "ch_cluster", "pg", "redis_cache" })
        {
            Assert.True(_config.Get(section) is YamlMappingNode, $"{ConfigPath} needs a '{section}' mapping.");
        }

        foreach (var legacy in new[] { "projects", "ch", "secret_key", "uptrace_go" })
        {
            Assert.False(_config.Has(legacy), $"'{legacy}' is an Uptrace 1.x key; 2.x does not read it.");
        }

        Assert.False(string.IsNullOrWhiteSpace(_config.Map("service").Str("secret", "service")));
    }

    [Fact]
    public void Project_token_matches_the_dsn()
    {
        var seed = _config.Map("seed_data");
        var tokens = seed.Seq("project_tokens", "seed_data").Children.Cast<YamlMappingNode>().ToList();
        var token = Assert.Single(tokens, t => t.OptStr("token") == _dsn.Token);

        var projectKeys = seed.Seq("projects", "seed_data").Children.Cast<YamlMappingNode>()
            .Select(p => p.Str("key", "seed_data.projects[]"))
            .ToList();
        Assert.Contains(token.Str("project_key", "seed_data.project_tokens[]"), projectKeys);
    }

    [Fact]
    public void Dsn_ports_reach_the_uptrace_listeners()
    {
        var compose = ComposeFile.Load();
        var listen = _config.Map("listen");
        var httpPort = Listen.PortOf(listen.Map("http", "listen").Str("addr", "listen.http"));
        var grpcPort = Listen.PortOf(listen.Map("grpc", "listen").Str("addr", "listen.grpc"));

        Assert.Equal("localhost", _dsn.Host);
        Assert.Equal(14318, _dsn.HttpPort);
        Assert.Equal(14317, _dsn.GrpcPort);
        Assert.Equal(httpPort, compose.ContainerPortFor("uptrace", _dsn.HttpPort));
        Assert.Equal(grpcPort, compose.ContainerPortFor("uptrace", _dsn.GrpcPort));
    }

    [Fact]
    public void Site_urls_match_the_dsn()
    {
        var site = _config.Map("site");
        Assert.Equal($"{_dsn.Scheme}://{_dsn.Host}:{_dsn.HttpPort}", site.Str("url", "site").TrimEnd('/'));
        Assert.Equal($"{_dsn.Scheme}://{_dsn.Host}:{_dsn.HttpPort}?grpc={_dsn.GrpcPort}", site.Str("ingest_url", "site"));
    }

    [Fact]
    public void Server_uptrace_config_uses_the_same_dsn()
    {
        var text = Repo.ReadAllText(ServerUptraceConfig);
        var found = UptraceDsn.FindAll(text);

        Assert.True(found.Count > 0, $"{ServerUptraceConfig} has no Uptrace DSN (expected {UptraceDsn.Expected}).");
        Assert.All(found, dsn => Assert.Equal(UptraceDsn.Expected, dsn));
    }
}
