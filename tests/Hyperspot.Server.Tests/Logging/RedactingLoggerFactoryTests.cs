using Hyperspot.Server.Logging;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Extensions.Logging;

namespace Hyperspot.Server.Tests.Logging;

public class RedactingLoggerFactoryTests
{
    /// <summary>Counts the loggers the wrapped factory builds.</summary>
    private sealed class CountingFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public int Created { get; private set; }

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName)
        {
            Created++;
            return inner.CreateLogger(categoryName);
        }

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public void A_category_logger_is_built_once_however_often_it_is_asked_for()
    {
        // ASP.NET Core's results ask the factory for their logger on every request; Serilog's factory builds a new
        // one each time.
        var counting = new CountingFactory(new SerilogLoggerFactory(new LoggerConfiguration().CreateLogger(), dispose: true));
        using var factory = new RedactingLoggerFactory(counting);

        var first = factory.CreateLogger("Microsoft.AspNetCore.Http.Result.JsonResult");
        for (var request = 0; request < 100; request++)
        {
            Assert.Same(first, factory.CreateLogger("Microsoft.AspNetCore.Http.Result.JsonResult"));
        }

        var other = factory.CreateLogger("Hyperspot.Server");

        Assert.NotSame(first, other);
        Assert.Equal(2, counting.Created);
    }
}
