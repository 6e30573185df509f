using System.Diagnostics;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry.Diagnosis;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Hyperspot.Server.Telemetry.ExporterCheck;

/// <summary>
/// The test span: one internal span named <c>exporter check</c>, always sampled, under the configured service name
/// and resource, exported through the configured trace exporter.
/// </summary>
public sealed class SpanProbe : SignalProbe
{
    public const string SourceName = "Hyperspot.ExporterCheck";

    public const string SpanName = "exporter check";

    public override string Step => "spans";

    public override string Items => "spans";

    public override string SignalPath => ExporterSettings.TracesPath;

    /// <summary>The test span's trace and span id, known as soon as it has started.</summary>
    public ActivityContext Started { get; private set; }

    public override async Task<SignalResult> SendAsync(TracingSettings tracing, ActivityContext testSpan, Func<TimeSpan> left)
    {
        var observer = new ExportObserver();
        var processor = new ProbeExportProcessor<Activity>(OtlpExporterFactory.CreateTraceExporter(tracing.Exporter, observer));
        var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(TracingResource.Create(tracing))
            .SetSampler(new AlwaysOnSampler())
            .AddSource(SourceName)
            .AddProcessor(processor)
            .Build();
        using var source = new ActivitySource(SourceName);
        using var span = source.StartActivity(SpanName, ActivityKind.Internal, parentContext: default);
        if (span is null)
        {
            throw new InvalidOperationException("The test span was not created: its source has no listener.");
        }

        span.SetTag("hyperspot.check", "exporter");
        Started = span.Context;
        Activity.Current = null;

        // The span ends, and is exported, on the probe's thread.
        var result = await RunAsync(() => span.Stop(), processor, observer, left).ConfigureAwait(false);
        if (result.Finished)
        {
            provider.Dispose();
        }

        return result;
    }
}
