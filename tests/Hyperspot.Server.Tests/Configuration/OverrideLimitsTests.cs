using Hyperspot.Server.Tests.Support;

namespace Hyperspot.Server.Tests.Configuration;

/// <summary><c>APP__</c> variables and <c>--section:key=value</c> overrides are bounded like the file, with a message naming the limit.</summary>
public class OverrideLimitsTests
{
    [Fact]
    public void More_app_variables_than_the_limit_is_one_error()
    {
        var variables = Enumerable.Range(0, 1_001).ToDictionary(i => $"APP__TRACING__RESOURCE__K{i}", _ => "v");

        Assert.Equal("APP__ variables: 1,001 are set; the limit is 1,000", Config.Error(null, variables));
    }

    [Fact]
    public void An_app_variable_with_a_huge_value_is_refused_naming_it()
    {
        var error = Config.Error(null, new Dictionary<string, string> { ["APP__SERVER__HOST"] = new string('h', 70_000) });

        Assert.Equal("APP__SERVER__HOST: a value of 70,000 characters; the limit is 65,536", error);
    }

    [Fact]
    public void An_app_variable_with_a_huge_name_is_refused_with_the_name_shortened()
    {
        var error = Config.Error(null, new Dictionary<string, string> { ["APP__TRACING__RESOURCE__" + new string('k', 2_000)] = "v" });

        Assert.StartsWith("APP__TRACING__RESOURCE__kkkk", error);
        Assert.EndsWith("…: a name of 2,024 characters; the limit is 1,024", error);
        Assert.True(error.Length < 200);
    }

    [Fact]
    public void An_app_variable_nested_deeper_than_the_limit_is_refused()
    {
        var error = Config.Error(null, new Dictionary<string, string> { ["APP__" + string.Join("__", Enumerable.Repeat("A", 40))] = "v" });

        Assert.EndsWith(": 40 levels deep; the limit is 32", error);
    }

    [Fact]
    public void More_overrides_than_the_limit_is_one_error()
    {
        var overrides = Enumerable.Range(0, 1_001).ToDictionary(i => $"tracing:resource:k{i}", _ => "v");

        Assert.Equal("command-line overrides: 1,001 are given; the limit is 1,000", Config.Error(null, overrides: overrides));
    }

    [Fact]
    public void An_override_with_a_huge_value_is_refused_naming_the_flag()
    {
        var error = Config.Error(null, overrides: new Dictionary<string, string> { ["tracing:service_name"] = new string('s', 100_000) });

        Assert.Equal("--tracing:service_name: a value of 100,000 characters; the limit is 65,536", error);
    }

    [Fact]
    public void Overrides_within_the_limits_are_read()
    {
        var variables = Enumerable.Range(0, 1_000).ToDictionary(i => $"APP__TRACING__RESOURCE__k{i}", i => $"v{i}");

        var settings = Config.Read(null, variables);

        Assert.Equal(1_000, settings.Tracing.Resource.Count);
        Assert.Equal("v999", settings.Tracing.Resource["k999"]);
    }
}
