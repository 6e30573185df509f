using System.Diagnostics;
using Hyperspot.Modules;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry.Diagnosis;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Instrumentation.Http;
using OpenTelemetry.Trace;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Telemetry;

/// <summary>Sets tracing up once, from <c>tracing</c>; modules only ask for an ActivitySource or a TracedClient.</summary>
public static class TracingRegistration
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    public static WebApplicationBuilder AddHyperspotTracing(this WebApplicationBuilder builder, HyperspotSettings settings)
    {
        var tracing = settings.Tracing;
        var propagator = TracingPropagation.Apply(tracing.Propagation);
        builder.Services.Replace(ServiceDescriptor.Singleton(propagator));

        var statistics = new ExportStatistics { TracingEnabled = tracing.Enabled };
        builder.Services.AddSingleton(statistics);
        builder.Services.AddSingleton<ITelemetryStatus>(statistics);
        if (!tracing.Enabled)
        {
            return builder;
        }

        _ = ExporterDiagnostics.Instance;
        builder.Services.AddSingleton(new HeaderRecorder(tracing.Http));
        var sampler = new ReloadableSampler(SamplerFactory.Create(tracing.Sampler));
        builder.Services.AddSingleton(sampler);
        builder.Services.AddOpenTelemetry().WithTracing(tracer =>
        {
            tracer
                .SetResourceBuilder(TracingResource.Create(tracing))
                .SetSampler(sampler)
                .AddSource(ModuleActivitySource.Prefix + "*")
                // The server span is ASP.NET Core's own Activity; ServerSpanMiddleware describes it (semantic
                // conventions, recorded headers) for sampled requests only, instead of the
                // OpenTelemetry ASP.NET Core instrumentation's DiagnosticListener callbacks on every request.
                .AddSource(ServerSpanMiddleware.AspNetCoreSource)
                .AddHttpClientInstrumentation(DescribeClientSpans)
                .AddProcessor(services => CreateExportProcessor(services, tracing, statistics));
        });
        builder.Services.AddHostedService<TracingLifecycle>();
        return builder;
    }

    /// <summary>
    /// Client spans: <c>url.full</c> without credentials or query. <c>RecordException</c> stays off: since .NET 9
    /// HttpClient records a failed call's exception on its span itself, and the instrumentation would add a second,
    /// identical <c>exception</c> event.
    /// </summary>
    internal static void DescribeClientSpans(HttpClientTraceInstrumentationOptions options)
    {
        options.RecordException = false;
        options.EnrichWithHttpRequestMessage = ClientSpanUrl.Sanitize;
    }

    /// <summary>Describes the server span of every recorded request; right after routing. Nothing to do with tracing off.</summary>
    public static WebApplication UseHyperspotServerSpans(this WebApplication app)
    {
        if (app.Services.GetService<HeaderRecorder>() is not null)
        {
            app.UseMiddleware<ServerSpanMiddleware>();
        }

        return app;
    }

    private static BoundedBatchExportProcessor CreateExportProcessor(IServiceProvider services, TracingSettings tracing, ExportStatistics statistics)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Hyperspot.Tracing.Export");
        var observer = new ExportObserver();
        var reporter = new ExportHealthReporter(logger, tracing.Exporter, statistics, observer, WarningInterval);
        return new BoundedBatchExportProcessor(
            OtlpExporterFactory.CreateTraceExporter(tracing.Exporter, observer),
            statistics,
            tracing.Batch.MaxQueueSize,
            tracing.Batch.MaxExportBatchSize,
            TimeSpan.FromMilliseconds(tracing.Batch.ScheduledDelayMs),
            reporter.OnExportResult);
    }
}
