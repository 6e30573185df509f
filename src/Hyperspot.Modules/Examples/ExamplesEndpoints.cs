using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Modules.Examples;

/// <summary>The handlers of the examples module.</summary>
public static class ExamplesEndpoints
{
    public static async Task<IResult> GetUser(
        long id,
        HttpContext http,
        TracedClient client,
        UpstreamAddress upstream,
        ExamplesTelemetry telemetry,
        ILogger<ExamplesModule> logger)
    {
        using var span = telemetry.Source.StartActivity("process_user");
        span?.SetTag("user.id", id);
        logger.LogInformation("Processing user {UserId}", id);
        try
        {
            using var response = await client.GetAsync($"{upstream.BaseUrl}/users/{id}", http.RequestAborted);
            if (!response.IsSuccessStatusCode)
            {
                span.MarkFailed($"upstream answered {(int)response.StatusCode}");
                logger.LogWarning("Upstream answered {StatusCode} for user {UserId}", (int)response.StatusCode, id);
                return BadGateway(http, $"The upstream answered {(int)response.StatusCode}.");
            }

            var body = await response.Content.ReadAsStringAsync(http.RequestAborted);
            span.MarkSucceeded();
            return Results.Content(body, "application/json");
        }
        catch (HttpRequestException ex)
        {
            span.MarkFailed(ex);
            logger.LogWarning("Upstream call failed for user {UserId}: {Error}", id, ex.Message);
            return BadGateway(http, "The upstream could not be reached.");
        }
    }

    public static async Task<IResult> GetData(HttpContext http, TracedClient client, UpstreamAddress upstream)
    {
        try
        {
            using var response = await client.GetAsync($"{upstream.BaseUrl}/data", http.RequestAborted);
            if (!response.IsSuccessStatusCode)
            {
                Activity.Current.MarkFailed($"upstream answered {(int)response.StatusCode}");
                return BadGateway(http, $"The upstream answered {(int)response.StatusCode}.");
            }

            return Results.Content(await response.Content.ReadAsStringAsync(http.RequestAborted), "application/json");
        }
        catch (HttpRequestException ex)
        {
            Activity.Current.MarkFailed(ex);
            return BadGateway(http, "The upstream could not be reached.");
        }
    }

    public static async Task<IResult> Relay(HttpContext http, TracedClient client, ExamplesOptions options, ILogger<ExamplesModule> logger)
    {
        RelayCall[]? calls;
        try
        {
            calls = await http.Request.ReadFromJsonAsync<RelayCall[]>(http.RequestAborted);
        }
        catch (System.Text.Json.JsonException)
        {
            return Results.Problem(title: "The body must be a JSON array of {\"url\": ..., \"arguments\": ...}", statusCode: StatusCodes.Status400BadRequest);
        }

        calls ??= [];
        var allowed = options.EffectiveRelayAllowedHosts;
        foreach (var call in calls)
        {
            if (!Uri.TryCreate(call.Url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            {
                return Results.Problem(title: "Each url must be an absolute http:// or https:// URL", statusCode: StatusCodes.Status400BadRequest);
            }

            if (!allowed.Any(h => string.Equals(h, uri.IdnHost, StringComparison.OrdinalIgnoreCase) || string.Equals(h, uri.Host, StringComparison.OrdinalIgnoreCase)))
            {
                return Results.Problem(
                    title: $"Host '{uri.Host}' is not in modules.examples.config.relay_allowed_hosts",
                    statusCode: StatusCodes.Status400BadRequest);
            }
        }

        var statuses = new List<int>();
        foreach (var call in calls)
        {
            try
            {
                using var response = await client.PostAsJsonAsync(call.Url, call.Arguments, http.RequestAborted);
                statuses.Add((int)response.StatusCode);
            }
            catch (HttpRequestException ex)
            {
                logger.LogWarning("Relay call to {Host} failed: {Error}", new Uri(call.Url).Host, ex.Message);
                statuses.Add(0);
            }
        }

        return Results.Json(new { calls = statuses.Count, statuses });
    }

    public static IResult UpstreamUser(long id) =>
        id < 0
            ? Results.Problem(title: "Upstream unavailable", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new { id, name = $"User {id}", email = $"user{id}@example.com" });

    public static IResult UpstreamData() =>
        Results.Json(new { items = new[] { new { id = 1, value = "alpha" }, new { id = 2, value = "beta" } } });

    private static IResult BadGateway(HttpContext http, string detail) =>
        Results.Problem(
            title: "Bad Gateway",
            detail: detail,
            statusCode: StatusCodes.Status502BadGateway,
            extensions: new Dictionary<string, object?>
            {
                ["trace_id"] = Activity.Current?.TraceId.ToHexString(),
                ["request_id"] = http.GetRequestId(),
            });
}
