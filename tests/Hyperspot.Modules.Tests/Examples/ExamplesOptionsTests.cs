using System.ComponentModel.DataAnnotations;
using Hyperspot.Modules.Examples;

namespace Hyperspot.Modules.Tests.Examples;

/// <summary>
/// The relay's limits are validated: ranges by attributes on the keys, hosts and the upstream URL by the options' own
/// rules (the host reports both under the key's path, see the server's configuration tests).
/// </summary>
public sealed class ExamplesOptionsTests
{
    [Fact]
    public void Defaults_are_small_and_valid()
    {
        var options = new ExamplesOptions();

        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
        Assert.Equal(10, options.RelayMaxCalls);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CallTimeout);
    }

    [Fact]
    public void Out_of_range_limits_are_each_refused_by_their_range()
    {
        var options = new ExamplesOptions { RelayMaxCalls = 0, RelayMaxBodyBytes = -1, CallTimeoutMs = 300_001, MaxResponseBytes = 0 };
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Equal(
            [nameof(ExamplesOptions.RelayMaxCalls), nameof(ExamplesOptions.RelayMaxBodyBytes), nameof(ExamplesOptions.CallTimeoutMs), nameof(ExamplesOptions.MaxResponseBytes)],
            results.Select(r => Assert.Single(r.MemberNames)));
        Assert.Equal(
            [(1, 1000), (1, 16777216), (1, 300000), (1, 268435456)],
            new[] { nameof(ExamplesOptions.RelayMaxCalls), nameof(ExamplesOptions.RelayMaxBodyBytes), nameof(ExamplesOptions.CallTimeoutMs), nameof(ExamplesOptions.MaxResponseBytes) }
                .Select(name => typeof(ExamplesOptions).GetProperty(name)!.GetCustomAttributes(typeof(RangeAttribute), false).Cast<RangeAttribute>().Single())
                .Select(range => ((int)range.Minimum, (int)range.Maximum)));
    }

    [Fact]
    public void Bad_hosts_are_each_reported()
    {
        var options = new ExamplesOptions { RelayAllowedHosts = ["ok.example", "http://bad.example/", "with\nnewline"] };

        Assert.Equal(
            [
                ("RelayAllowedHosts", "entries must be host names or IP addresses, without scheme, port or path (got 'http://bad.example/')"),
                ("RelayAllowedHosts", "entries must be host names or IP addresses, without scheme, port or path (got 'with?newline')"),
            ],
            options.Validate(new ValidationContext(options)).Select(r => (Assert.Single(r.MemberNames), r.ErrorMessage)));
    }
}
