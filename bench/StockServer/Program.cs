// The stock set-up the benchmark compares Hyperspot.NET with: a plain ASP.NET Core minimal API traced the way the
// OpenTelemetry .NET documentation shows, with default options.
//
//   StockServer --port PORT --tracing off|always_on|parentbased_ratio:R [--metrics on]
//
// The exporter is the default OTLP/gRPC one; its endpoint comes from OTEL_EXPORTER_OTLP_ENDPOINT. --metrics on adds
// the metrics the OpenTelemetry .NET documentation shows (ASP.NET Core, HttpClient and runtime instrumentation, the
// OTLP exporter), at their defaults.
// Routes (the same kinds as the Hyperspot examples module):
//   GET /upstream/data         trivial JSON answer
//   GET /upstream/users/{id}   trivial JSON answer (the stand-in upstream)
//   GET /users/{id}            a process_user span around one outgoing HttpClient call to /upstream/users/{id}
using System.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

var port = 18200;
var tracing = "off";
var metrics = "off";
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[i + 1]); break;
        case "--tracing": tracing = args[i + 1]; break;
        case "--metrics": metrics = args[i + 1]; break;
    }
}

var source = new ActivitySource("Bench.Stock");
var builder = WebApplication.CreateBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Services.AddHttpClient("upstream", client => client.BaseAddress = new Uri($"http://127.0.0.1:{port}/upstream/"));

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
app.MapGet("/upstream/data", () => Results.Json(new { items = new[] { new { id = 1, value = "alpha" }, new { id = 2, value = "beta" } } }));
app.MapGet("/upstream/users/{id}", (long id) => Results.Json(new { id, name = $"User {id}", email = $"user{id}@example.com" }));
app.MapGet("/users/{id}", async (long id, IHttpClientFactory clients, HttpContext http) =>
{
    using var span = source.StartActivity("process_user");
    span?.SetTag("user.id", id);
    using var response = await clients.CreateClient("upstream").GetAsync($"users/{id}", http.RequestAborted);
    if (!response.IsSuccessStatusCode)
    {
        span?.SetStatus(ActivityStatusCode.Error);
        return Results.StatusCode(502);
    }

    return Results.Content(await response.Content.ReadAsStringAsync(http.RequestAborted), "application/json");
});
app.MapGet("/healthz", () => "ok");
app.Run();
