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

        var console = new CategoryLevels(logging.ConsoleLevel, logging.Categories.ToDictionary(c => c.Key, c => c.Value.ConsoleLevel), quietFramework: !logging.Verbose);
        var fileLevels = new CategoryLevels(logging.FileLevel, logging.Categories.ToDictionary(c => c.Key, c => c.Value.FileLevel));
        var writeFile = logging.File is not null && fileProblem is null;

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
                Configure(configuration, logging, console, fileLevels, writeFile);
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

    private static void Configure(LoggerConfiguration configuration, LoggingSettings logging, CategoryLevels console, CategoryLevels fileLevels, bool writeFile)
    {
        configuration
            .MinimumLevel.Is(writeFile ? Min(console.Default, fileLevels.Default) : console.Default)
            .Enrich.FromLogContext()
            .Enrich.With<RequestIdEnricher>()
            .Enrich.With<QueryStringRedactionEnricher>();
        foreach (var prefix in console.Prefixes.Union(fileLevels.Prefixes, StringComparer.OrdinalIgnoreCase))
        {
            var level = writeFile ? Min(console.For(prefix), fileLevels.For(prefix)) : console.For(prefix);
            configuration.MinimumLevel.Override(prefix, level > LogEventLevel.Fatal ? LogEventLevel.Fatal : level);
        }

        // Conditional sinks rather than sub-loggers: a sub-logger copies every event before its filter runs.
        configuration.WriteTo.Conditional(console.Allows, sink => sink
            .Console(LogFormats.Text(colours: !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null)));
        if (writeFile)
        {
            // Lines the file cannot take are dropped and reported on stderr, never thrown at the server.
            var losses = new LogFileLossReporter(logging.File!);
            configuration.WriteTo.Conditional(fileLevels.Allows, sink => sink.Sink(LoggerSinkConfiguration.Wrap(
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

    private static LogEventLevel Min(LogEventLevel a, LogEventLevel b) => a < b ? a : b;
}
