using System.Text.RegularExpressions;
using Hyperspot.Deployment.Tests.Support;

namespace Hyperspot.Deployment.Tests;

/// <summary>Static checks of the root Dockerfile and .dockerignore (no Docker engine needed).</summary>
public sealed class DockerfileTests
{
    private readonly IReadOnlyList<string> _instructions = ReadInstructions("Dockerfile");

    [Fact]
    public void Builds_with_the_sdk_and_runs_on_the_aspnet_image()
    {
        var froms = _instructions.Where(i => Keyword(i) == "FROM").ToList();
        Assert.Contains(froms, f => f.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0", StringComparison.Ordinal));
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", froms[^1], StringComparison.Ordinal);
        Assert.Contains(_instructions, i => i.Contains("dotnet publish src/Hyperspot.Server -c Release -o /app", StringComparison.Ordinal));
    }

    [Fact]
    public void Restores_before_copying_the_sources()
    {
        var restore = IndexOf(i => Keyword(i) == "RUN" && i.Contains("dotnet restore", StringComparison.Ordinal));
        var publish = IndexOf(i => Keyword(i) == "RUN" && i.Contains("dotnet publish", StringComparison.Ordinal));
        var sources = _instructions.Select((text, index) => (text, index))
            .Where(x => Keyword(x.text) == "COPY" && !x.text.Contains("--from", StringComparison.Ordinal)
                        && Tokens(x.text).Contains("src/") && x.index > restore)
            .Select(x => x.index)
            .ToList();

        Assert.True(restore >= 0, "The Dockerfile must run 'dotnet restore' in its own layer.");
        Assert.True(sources.Count > 0 && sources[0] < publish, "Sources must be copied after restore and before publish.");
    }

    [Fact]
    public void Every_copied_path_exists_and_is_not_dockerignored()
    {
        var ignored = Repo.ReadAllText(".dockerignore")
            .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.TrimEnd('/'))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var copy in _instructions.Where(i => Keyword(i) == "COPY" && !i.Contains("--from", StringComparison.Ordinal)))
        {
            var sources = Tokens(copy).Skip(1).Where(t => !t.StartsWith("--", StringComparison.Ordinal)).SkipLast(1);
            foreach (var source in sources)
            {
                var matches = Expand(source);
                Assert.True(matches.Count > 0, $"'{copy}' copies '{source}', which matches nothing in the repository.");
                Assert.DoesNotContain(source.TrimEnd('/'), ignored);
            }
        }

        Assert.True(File.Exists(Repo.PathOf("src/Hyperspot.Server/Hyperspot.Server.csproj")));
    }

    [Fact]
    public void Dockerignore_keeps_build_outputs_tests_and_git_out_of_the_context()
    {
        var lines = Repo.ReadAllText(".dockerignore").Split('\n', StringSplitOptions.TrimEntries);
        foreach (var expected in new[] { "**/bin/", "**/obj/", "tests/", "bench/results/", ".git/" })
        {
            Assert.Contains(expected, lines);
        }
    }

    [Fact]
    public void Runs_as_the_non_root_app_user()
    {
        var lastFrom = LastIndexOf(i => Keyword(i) == "FROM");
        var user = LastIndexOf(i => Keyword(i) == "USER");
        Assert.True(user > lastFrom, "The runtime stage must switch USER.");
        Assert.Contains(_instructions[user], new[] { "USER $APP_UID", "USER ${APP_UID}", "USER app" });
    }

    [Fact]
    public void Entrypoint_cmd_and_port_match_the_compose_service()
    {
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"Hyperspot.Server.dll\"]", _instructions);
        Assert.Contains("CMD [\"--config\", \"/etc/hyperspot/config.yaml\"]", _instructions);
        Assert.Contains("EXPOSE 8087", _instructions);

        var compose = ComposeFile.Load();
        Assert.Contains(compose.Volumes("server"), v => v.Target == "/etc/hyperspot/config.yaml");
        Assert.Equal("8087", compose.Environment("server")["APP__SERVER__PORT"]);
    }

    private int IndexOf(Func<string, bool> predicate) => _instructions.ToList().FindIndex(i => predicate(i));

    private int LastIndexOf(Func<string, bool> predicate) => _instructions.ToList().FindLastIndex(i => predicate(i));

    private static string Keyword(string instruction) =>
        instruction.Split(' ', 2)[0].ToUpperInvariant();

    private static IReadOnlyList<string> Tokens(string instruction) =>
        instruction.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Repository entries matched by a COPY source (supports '*' in the file name).</summary>
    private static IReadOnlyList<string> Expand(string source)
    {
        var trimmed = source.TrimEnd('/');
        if (!trimmed.Contains('*', StringComparison.Ordinal))
        {
            return Repo.Exists(trimmed) ? [trimmed] : [];
        }

        var dir = Path.GetDirectoryName(trimmed) ?? string.Empty;
        var pattern = Path.GetFileName(trimmed);
        var full = Repo.PathOf(dir.Length == 0 ? "." : dir);
        return Directory.Exists(full) ? Directory.GetFileSystemEntries(full, pattern) : [];
    }

    /// <summary>Instructions with comments removed and line continuations joined.</summary>
    private static IReadOnlyList<string> ReadInstructions(string path)
    {
        var result = new List<string>();
        var current = string.Empty;
        foreach (var raw in Repo.ReadAllText(path).Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1].Trim() + " ";
                continue;
            }

            current += line;
            if (current.Length > 0)
            {
                result.Add(Regex.Replace(current, @"\s+", " ").Trim());
            }

            current = string.Empty;
        }

        return result;
    }
}
