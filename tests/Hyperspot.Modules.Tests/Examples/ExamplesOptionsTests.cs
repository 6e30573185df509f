using Hyperspot.Modules.Examples;

namespace Hyperspot.Modules.Tests.Examples;

/// <summary>The relay's limits are validated with messages naming the key and the accepted range.</summary>
public sealed class ExamplesOptionsTests
{
    [Fact]
    public void Defaults_are_small_and_valid()
    {
        var options = new ExamplesOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(10, options.RelayMaxCalls);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CallTimeout);
    }

    [Fact]
    public void Out_of_range_limits_and_bad_hosts_are_each_reported()
    {
        var options = new ExamplesOptions
        {
            RelayMaxCalls = 0,
            RelayMaxBodyBytes = -1,
            CallTimeoutMs = 300_001,
            MaxResponseBytes = 0,
            RelayAllowedHosts = ["ok.example", "http://bad.example/", "with\nnewline"],
        };

        Assert.Equal(
            [
                ("relay_max_calls", "must be 1 to 1000 (got 0)"),
                ("relay_max_body_bytes", "must be 1 to 16777216 (got -1)"),
                ("call_timeout_ms", "must be 1 to 300000 (got 300001)"),
                ("max_response_bytes", "must be 1 to 268435456 (got 0)"),
                ("relay_allowed_hosts", "entries must be host names or IP addresses, without scheme, port or path (got 'http://bad.example/')"),
                ("relay_allowed_hosts", "entries must be host names or IP addresses, without scheme, port or path (got 'with?newline')"),
            ],
            options.Validate());
    }
}
