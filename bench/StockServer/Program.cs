// The stock set-up the benchmark compares Hyperspot.NET with: a plain ASP.NET Core minimal API traced the way the
// OpenTelemetry .NET documentation shows, with default options.
//
//   StockServer --port PORT --tracing off|always_on|parentbased_ratio:R [--metrics on] [--log-file PATH]
//
// The exporter is the default OTLP/gRPC one; its endpoint comes from OTEL_EXPORTER_OTLP_ENDPOINT. --metrics on adds
// the metrics the OpenTelemetry .NET documentation shows (ASP.NET Core, HttpClient and runtime instrumentation, the
// OTLP exporter), at their defaults. --log-file adds request logging the way Serilog.AspNetCore's README shows it:
// Serilog as the host's logger (Microsoft.AspNetCore at warning, so that its own request lines give way to
// UseSerilogRequestLogging's one line), written by Serilog.Sinks.File (daily files, its other defaults) with the
// trace and span ids in the line. HttpClient's own per-call lines are held at warning too, as the Hyperspot server's
// defaults hold them, so that both servers write the same lines.
// Routes (the same kinds as the Hyperspot examples module):
//   GET /upstream/data         trivial JSON answer
//   GET /upstream/users/{id}   trivial JSON answer (the stand-in upstream)
//   GET /users/{id}            a process_user span around one outgoing HttpClient call to /upstream/users/{id}
using System.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Events;

var port = 18200;
var tracing = "off";
var metrics = "off";
string? logFile = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[i + 1]); break;
        case "--tracing": tracing = args[i + 1]; break;
        case "--metrics": metrics = args[i + 1]; break;
        case "--log-file": logFile = args[i + 1]; break;
    }
}

var source = new ActivitySource("Bench.Stock");
var builder = WebApplication.CreateBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Services.AddHttpClient("upstream", client => client.BaseAddress = new Uri($"http://127.0.0.1:{port}/upstream/"));

if (logFile is not null)
{
    builder.Services.AddSerilog(configuration => configuration
        .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
        .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
        .Enrich.FromLogContext()
        .WriteTo.File(
            logFile,
            rollingInterval: RollingInterval.Day,
            outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj} trace_id={TraceId} span_id={SpanId}{NewLine}{Exception}"));
}

if (tracing != "off")
{
    Sampler sampler = tracing == "always_on"
        ? new AlwaysOnSampler()
        : new ParentBasedSampler(new TraceIdRatioBasedSampler(double.Parse(tracing.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)));
    builder.Services.AddOpenTelemetry()
        .ConfigureResource(r => r.AddService("stock"))
        .WithTracing(t => t
            .SetSampler(sampler)
            .AddSource(source.Name)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddOtlpExporter());
}

if (metrics == "on")
{
    builder.Services.AddOpenTelemetry()
        .ConfigureResource(r => r.AddService("stock"))
        .WithMetrics(m => m
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddOtlpExporter());
}

var app = builder.Build();
if (logFile is not null)
{
    app.UseSerilogRequestLogging();
}

app.MapGet("/upstream/data", () => Results.Json(new { items = new[] { new { id = 1, value = "alpha" }, new { id = 2, value = "beta" } } }));
app.MapGet("/upstream/users/{id}", (long id) => Results.Json(new { id, name = $"User {id}", email = $"user{id}@example.com" }));
app.MapGet("/users/{id}", async (long id, IHttpClientFactory clients, HttpContext http, ILogger<Program> logger) =>
{
    using var span = source.StartActivity("process_user");
    span?.SetTag("user.id", id);
    logger.LogInformation("Processing user {UserId}", id);
    using var response = await clients.CreateClient("upstream").GetAsync($"users/{id}", http.RequestAborted);
    if (!response.IsSuccessStatusCode)
    {
        span?.SetStatus(ActivityStatusCode.Error);
        return Results.StatusCode(502);
    }

    var body = await response.Content.ReadAsStringAsync(http.RequestAborted);
    logger.LogDebug("Upstream answered {Bytes} bytes for user {UserId}", body.Length, id);
    return Results.Content(body, "application/json");
});
app.MapGet("/healthz", () => "ok");
app.Run();
