using Hyperspot.Server.Logging;
using Hyperspot.Server.Tests.Support;
using Serilog;
using Serilog.Events;

namespace Hyperspot.Server.Tests.Logging;

public class RequestIdEnricherTests
{
    [Fact]
    public async Task Each_request_flow_gets_its_own_id_and_code_outside_a_request_none()
    {
        var sink = new CollectingSink();
        using var logger = new LoggerConfiguration().Enrich.With<RequestIdEnricher>().WriteTo.Sink(sink).CreateLogger();

        async Task Request(string id)
        {
            RequestIdEnricher.Set(new LogEventProperty("request_id", new ScalarValue(id)));
            await Task.Yield();
            logger.Information("inside {Id}", id);
        }

        await Task.WhenAll(Request("a"), Request("b"), Request("c"));
        logger.Information("outside");

        Assert.Equal(4, sink.Events.Count);
        foreach (var logEvent in sink.Events.Where(e => e.Properties.ContainsKey("Id")))
        {
            Assert.Equal(logEvent.Properties["Id"].ToString(), logEvent.Properties["request_id"].ToString());
        }

        Assert.DoesNotContain("request_id", Assert.Single(sink.Events, e => !e.Properties.ContainsKey("Id")).Properties.Keys);
    }
}
