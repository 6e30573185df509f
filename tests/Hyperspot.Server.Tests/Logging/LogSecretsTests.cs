using Hyperspot.Server.Configuration;
using Hyperspot.Server.Logging;
using Hyperspot.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Tests.Logging;

/// <summary>Secrets in the values and exceptions of log events, masked before any sink sees them.</summary>
public sealed class LogSecretsTests
{
    private const string Mask = SecretRedactor.Mask;

    /// <summary>The logging the host sets up, reduced to what matters here: Serilog with the enricher, behind the wrapped factory.</summary>
    private static (Microsoft.Extensions.Logging.ILogger Logger, CollectingSink Sink, ServiceProvider Services) Logging()
    {
        var sink = new CollectingSink();
        var services = new ServiceCollection();
        services.AddSerilog(
            (_, configuration) => configuration.MinimumLevel.Verbose().Enrich.With<QueryStringRedactionEnricher>().WriteTo.Sink(sink),
            preserveStaticLogger: true);
        RedactingLoggerFactory.Decorate(services);
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Server.Kestrel.BadRequests"), sink, provider);
    }

    private static string Rendered(LogEvent e) => e.RenderMessage() + "\n" + e.Exception + "\n" + string.Join(' ', e.Properties.Values);

    [Fact]
    public void A_refused_authorization_header_quoted_in_a_message_and_its_exception_is_masked()
    {
        var (logger, sink, services) = Logging();
        using (services)
        {
            var quoted = @"Invalid request header: 'Authorization : Bearer kestrel-secret\x0D\x0A'";
            logger.LogDebug(new InvalidOperationException(quoted), "Connection id \"{ConnectionId}\" bad request data: \"{message}\"", "0HN", quoted);
        }

        var e = Assert.Single(sink.Events);
        Assert.Contains($"Authorization : {Mask}", e.RenderMessage());
        Assert.Contains($"Authorization : {Mask}", e.Exception!.ToString());
        Assert.Contains(typeof(InvalidOperationException).FullName!, e.Exception.ToString());
        Assert.DoesNotContain("kestrel-secret", Rendered(e));
    }

    [Fact]
    public void Urls_in_any_value_are_masked_and_request_lines_follow_the_url_query_rule()
    {
        var (logger, sink, services) = Logging();
        using (services)
        {
            logger.LogInformation("Request starting {Path}{QueryString}", "/users/6;jsessionid=sid-secret", "?bare-token-secret");
            logger.LogWarning("Upstream {Upstream} failed: {Error}", new Uri("http://u:uri-pass-secret@upstream/x?k=uri-key-secret"), new[] { "see http://h/?api_key=array-secret" });
        }

        Assert.Equal(2, sink.Events.Count);
        Assert.Equal("Request starting \"/users/6;jsessionid=Redacted\"\"?Redacted\"", sink.Events[0].RenderMessage());
        Assert.Contains($"http://{Mask}@upstream/x?k={Mask}", sink.Events[1].RenderMessage());
        Assert.Contains($"api_key={Mask}", sink.Events[1].RenderMessage());
        Assert.DoesNotContain("secret", string.Join('\n', sink.Events.Select(Rendered)));
    }

    [Fact]
    public void An_exception_without_secrets_is_passed_on_as_it_is()
    {
        var exception = new InvalidOperationException("plain failure at http://upstream:8080/x");

        Assert.Same(exception, RedactedException.From(exception));
    }
}
