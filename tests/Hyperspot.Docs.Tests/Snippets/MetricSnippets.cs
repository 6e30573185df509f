// docs/METRICS.md, "A module's own instruments", verbatim.
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hyperspot.Modules.ModuleKit;
using Microsoft.Extensions.DependencyInjection;

namespace Hyperspot.Docs.Tests.Snippets;

public sealed class OrdersInstruments
{
    private readonly Counter<long> _placed;
    private readonly Histogram<double> _paymentDuration;

    public OrdersInstruments(ModuleTelemetry<OrdersModule> telemetry)
    {
        _placed = telemetry.Meter.CreateCounter<long>("orders.placed", unit: "{order}", description: "Orders placed");
        _paymentDuration = telemetry.Meter.CreateHistogram(
            "orders.payment.duration",
            unit: "s",
            description: "How long the payment provider took to answer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] });
    }

    public void Placed(string channel) => _placed.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public void PaymentAnswered(long startTimestamp) => _paymentDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
}

/// <summary>The module that registers <see cref="OrdersInstruments"/> once, as a singleton.</summary>
public sealed class OrdersModule : IModule
{
    public string Name => "orders";

    public void ConfigureServices(ModuleServicesContext context)
    {
        context.Services.AddSingleton<OrdersInstruments>();
    }
}
