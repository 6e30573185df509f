using System.Diagnostics;
using Hyperspot.Deployment.Tests.Support;

namespace Hyperspot.Deployment.Tests;

/// <summary>
/// Validates docker-compose.yml with the docker-compose CLI (no Docker engine needed for
/// <c>config</c>). docker-compose 1.29 supports <c>--profile</c>, so profiled services are
/// validated by enabling every profile.
/// </summary>
public sealed class ComposeCliTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static TheoryData<string[]> ProfileSets => new()
    {
        Array.Empty<string>(),
        new[] { "uptrace" },
        new[] { "server" },
        new[] { "collector" },
        new[] { "uptrace", "server", "collector" },
    };

    [Theory]
    [MemberData(nameof(ProfileSets))]
    public void Config_is_valid(string[] profiles)
    {
        var args = new List<string>();
        foreach (var profile in profiles)
        {
            args.Add("--profile");
            args.Add(profile);
        }

        args.AddRange(["-f", ComposeFile.FileName, "config", "--quiet"]);

        var result = RunCompose(args);

        Assert.True(
            result.ExitCode == 0,
            $"docker-compose {string.Join(' ', args)} exited with {result.ExitCode}:\n{result.StdErr}\n{result.StdOut}");
    }

    [Fact]
    public void Config_lists_every_service_when_all_profiles_are_enabled()
    {
        var result = RunCompose(
            ["--profile", "uptrace", "--profile", "server", "--profile", "collector",
             "-f", ComposeFile.FileName, "config", "--services"]);

        Assert.True(result.ExitCode == 0, $"docker-compose config --services failed:\n{result.StdErr}");
        var services = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var expected in new[] { "jaeger", "uptrace", "clickhouse", "postgres", "redis", "server", "otel-collector" })
        {
            Assert.Contains(expected, services);
        }
    }

    [Fact]
    public void Jaeger_image_follows_the_guides_registry_and_version_variables()
    {
        var pinned = RunCompose(["-f", ComposeFile.FileName, "config"]);
        Assert.True(pinned.ExitCode == 0, $"docker-compose config failed:\n{pinned.StdErr}");
        Assert.Contains($"image: {ComposeFile.WithDefaults(ComposeFile.Load().Service("jaeger").Str("image"))}", pinned.StdOut, StringComparison.Ordinal);

        var chosen = RunCompose(
            ["-f", ComposeFile.FileName, "config"],
            new Dictionary<string, string> { ["REGISTRY"] = "registry.example.com/", ["JAEGER_VERSION"] = "2.0.0" });
        Assert.True(chosen.ExitCode == 0, $"docker-compose config failed:\n{chosen.StdErr}");
        Assert.Contains("image: registry.example.com/jaegertracing/jaeger:2.0.0", chosen.StdOut, StringComparison.Ordinal);
    }

    private static (int ExitCode, string StdOut, string StdErr) RunCompose(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var executable = FindOnPath("docker-compose");
        if (executable is null)
        {
            Assert.Fail(
                "docker-compose was not found on PATH. These tests validate docker-compose.yml with " +
                "'docker-compose config'; install it (Debian/Ubuntu: 'apt-get install -y docker-compose', " +
                "or pip 'docker-compose'). A Docker engine is not required.");
        }

        var psi = new ProcessStartInfo(executable!)
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        // Keep the caller's environment from changing which files or profiles are validated.
        foreach (var name in new[] { "COMPOSE_FILE", "COMPOSE_PROFILES", "COMPOSE_PATH_SEPARATOR", "REGISTRY", "JAEGER_VERSION" })
        {
            psi.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start docker-compose.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"docker-compose did not finish within {Timeout}.");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string? FindOnPath(string name)
    {
        var candidates = OperatingSystem.IsWindows() ? new[] { name + ".exe", name + ".cmd", name } : new[] { name };
        var path = System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in candidates)
            {
                var full = Path.Combine(dir, candidate);
                if (File.Exists(full))
                {
                    return full;
                }
            }
        }

        return null;
    }
}
