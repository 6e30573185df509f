using Hyperspot.Server.Configuration;
using Hyperspot.Server.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;

namespace Hyperspot.Server.Logging;

/// <summary>
/// Serilog for the whole host: console, rolling file, per-category levels, OTLP logs. The OTLP log export is set up
/// here rather than in Telemetry: it is one more sink of the same events (<see cref="OtlpLogForwarder"/> renders
/// their bodies as the console and file lines do), switched by <c>logging.*.otlp</c>; from Telemetry it takes only
/// the shared OTLP plumbing (exporter options, resource), and Telemetry never needs Logging.
/// </summary>
public static class LoggingRegistration
{
    private const long Megabyte = 1024 * 1024;

    /// <summary>Sets logging up; throws <see cref="ConfigurationException"/> when a required log file cannot be written.</summary>
    public static WebApplicationBuilder AddHyperspotLogging(this WebApplicationBuilder builder, HyperspotSettings settings)
    {
        var logging = settings.Logging;
        var fileProblem = logging.File is { } file ? LogFileCheck.ProblemWith(file) : null;
        if (fileProblem is not null && logging.FileRequired)
        {
            throw new ConfigurationException([fileProblem]);
        }

        var writeFile = logging.File is not null && fileProblem is null;
        var levels = new LiveLogLevels(logging, writeFile);
        builder.Services.AddSingleton(levels);

        var writeToProviders = logging.OtlpEnabled && settings.Tracing.Enabled;
        builder.Logging.ClearProviders();
        if (writeToProviders)
        {
            builder.Logging.AddOpenTelemetry(otlp =>
            {
                otlp.IncludeFormattedMessage = true;
                otlp.SetResourceBuilder(TracingResource.Create(settings.Tracing));
                otlp.AddProcessor(new BatchLogRecordExportProcessor(
                    new OpenTelemetry.Exporter.OtlpLogExporter(OtlpExporterFactory.CreateOptions(settings.Tracing.Exporter, "/v1/logs"))));
            });
        }

        // The OpenTelemetry provider gets the events from OtlpLogForwarder rather than from writeToProviders, whose
        // record bodies render strings in quotes, unlike the console and file lines.
        builder.Services.AddSerilog(
            (services, configuration) =>
            {
                Configure(configuration, logging, levels, writeFile);
                if (writeToProviders)
                {
                    configuration.WriteTo.Sink(new OtlpLogForwarder([.. services.GetServices<ILoggerProvider>().OfType<OpenTelemetryLoggerProvider>()]));
                }
            },
            preserveStaticLogger: true,
            writeToProviders: false);
        if (fileProblem is not null)
        {
            builder.Services.AddSingleton(new LoggingStartupWarning(fileProblem + "; logging to the console only (logging.default.file_required is false)"));
        }

        return builder;
    }

    /// <remarks>
    /// The levels are live (<see cref="LiveLogLevels"/>): the minimum is a level switch, the per-category levels a
    /// filter (the factory's loggers skip an event below its category's level before building it), and each sink
    /// reads its own current levels.
    /// </remarks>
    private static void Configure(LoggerConfiguration configuration, LoggingSettings logging, LiveLogLevels levels, bool writeFile)
    {
        configuration
            .MinimumLevel.ControlledBy(levels.Minimum)
            .Filter.ByIncludingOnly(levels.Allows)
            .Enrich.FromLogContext()
            .Enrich.With<RequestIdEnricher>()
            .Enrich.With<QueryStringRedactionEnricher>();

        // Conditional sinks rather than sub-loggers: a sub-logger copies every event before its filter runs.
        configuration.WriteTo.Conditional(e => levels.Current.Console.Allows(e), sink => sink
            .Console(LogFormats.Text(colours: !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null)));
        if (writeFile)
        {
            // Lines the file cannot take are dropped and reported on stderr, never thrown at the server.
            var losses = new LogFileLossReporter(logging.File!);
            configuration.WriteTo.Conditional(e => levels.Current.File.Allows(e), sink => sink.Sink(LoggerSinkConfiguration.Wrap(
                file => new LogFileSink(file, losses),
                wrapped => wrapped.Fallible(
                    fallible => fallible.File(
                        logging.Format == LogFormat.Json ? LogFormats.Json() : LogFormats.Text(colours: false),
                        logging.File!,
                        fileSizeLimitBytes: LogFileWriteBuffer.SizeLimitFor(logging.MaxSizeMb * Megabyte),
                        rollOnFileSizeLimit: true,
                        retainedFileCountLimit: logging.MaxBackups + 1,
                        buffered: true,
                        flushToDiskInterval: TimeSpan.FromSeconds(1),
                        hooks: new LogFileWriteBuffer(losses)),
                    losses))));
        }
    }
}
