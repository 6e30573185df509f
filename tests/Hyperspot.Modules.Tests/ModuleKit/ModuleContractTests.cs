using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hyperspot.Modules.Examples;
using Hyperspot.Modules.Health;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Tests.ModuleKit;

/// <summary>The module contract: options declared by the module's type, one ActivitySource and one Meter per module named after it.</summary>
public sealed class ModuleContractTests
{
    [Fact]
    public void A_module_declares_its_options_type_in_its_signature()
    {
        Assert.Equal(typeof(ExamplesOptions), ((IModule)new ExamplesModule()).OptionsType);
        Assert.Null(((IModule)new SystemModule()).OptionsType);
    }

    [Fact]
    public void Module_telemetry_source_is_named_after_the_module_and_records_when_listened_to()
    {
        using var telemetry = new ModuleTelemetry<ExamplesModule>(new ExamplesModule());
        Assert.Equal("Hyperspot.Modules.examples", telemetry.Source.Name);

        using var listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, telemetry.Source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var span = telemetry.Source.StartActivity("process_user");
        Assert.NotNull(span);
        Assert.Equal("Hyperspot.Modules.examples", span.Source.Name);
    }

    [Fact]
    public void Module_telemetry_meter_is_named_like_the_source_and_the_examples_instruments_record_on_it()
    {
        using var telemetry = new ModuleTelemetry<ExamplesModule>(new ExamplesModule());
        Assert.Equal("Hyperspot.Modules.examples", telemetry.Meter.Name);

        var recorded = new List<(string Instrument, double Value, string? Route)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, telemetry.Meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => recorded.Add((instrument.Name, value, null)));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            string? route = null;
            foreach (var tag in tags)
            {
                route = tag.Key == "upstream.route" ? tag.Value as string : route;
            }

            recorded.Add((instrument.Name, value, route));
        });
        listener.Start();

        var instruments = new ExamplesInstruments(telemetry);
        instruments.UserFetched();
        instruments.UpstreamAnswered(Stopwatch.GetTimestamp() - Stopwatch.Frequency / 2, "users", "ok");

        Assert.Contains(("examples.users.fetched", 1.0, (string?)null), recorded);
        var duration = Assert.Single(recorded, r => r.Instrument == "examples.upstream.duration");
        Assert.Equal("users", duration.Route);
        Assert.InRange(duration.Value, 0.5, 60); // seconds, not milliseconds
    }
}
