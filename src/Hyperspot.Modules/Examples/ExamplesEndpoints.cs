using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Examples;

/// <summary>The handlers of the examples module (the relay's is <see cref="RelayEndpoint"/>).</summary>
public static class ExamplesEndpoints
{
    public static async Task<IResult> GetUser(
        long id,
        HttpContext http,
        ExamplesClients clients,
        UpstreamAddress upstream,
        IOptions<ExamplesOptions> options,
        IUrlMasker masker,
        ModuleTelemetry<ExamplesModule> telemetry,
        ExamplesInstruments instruments,
        ILogger<ExamplesModule> logger)
    {
        using var span = telemetry.Source.StartActivity("process_user");
        span?.SetTag("user.id", id);
        logger.LogInformation("Processing user {UserId}", id);
        var result = await FetchAsync(http, clients, options.Value, masker, $"{upstream.BaseUrl}/users/{id}", span, instruments, "users");
        if (result.Failure is { } failure)
        {
            logger.LogWarning("Upstream call failed for user {UserId}: {Error}", id, result.Error);
            return failure;
        }

        logger.LogDebug("Upstream answered {Bytes} bytes for user {UserId}", result.Body!.Length, id);
        span.MarkSucceeded();
        instruments.UserFetched();
        return Results.Bytes(result.Body!, "application/json");
    }

    public static async Task<IResult> GetData(HttpContext http, ExamplesClients clients, UpstreamAddress upstream, IOptions<ExamplesOptions> options, IUrlMasker masker, ExamplesInstruments instruments)
    {
        var result = await FetchAsync(http, clients, options.Value, masker, $"{upstream.BaseUrl}/data", Activity.Current, instruments, "data");
        return result.Failure ?? Results.Bytes(result.Body!, "application/json");
    }

    public static IResult UpstreamUser(long id) =>
        id < 0
            ? Results.Problem(title: "Upstream unavailable", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new { id, name = $"User {id}", email = $"user{id}@example.com" });

    public static IResult UpstreamData() =>
        Results.Json(new { items = new[] { new { id = 1, value = "alpha" }, new { id = 2, value = "beta" } } });

    /// <summary>
    /// GETs <paramref name="url"/> within <c>call_timeout_ms</c>, reading at most <c>max_response_bytes</c>: the body,
    /// or the answer to give instead (502 for an error answer, a failed call or an oversized body; 504 for a timeout),
    /// with <paramref name="span"/> marked failed. The call's duration is recorded under <paramref name="route"/>.
    /// </summary>
    private static async Task<UpstreamResult> FetchAsync(
        HttpContext http, ExamplesClients clients, ExamplesOptions options, IUrlMasker masker, string url, Activity? span, ExamplesInstruments instruments, string route)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await CallAsync(http, clients, options, masker, url, span);
        instruments.UpstreamAnswered(started, route, result.Outcome);
        return result;
    }

    private static async Task<UpstreamResult> CallAsync(HttpContext http, ExamplesClients clients, ExamplesOptions options, IUrlMasker masker, string url, Activity? span)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(options.CallTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await clients.Upstream.ExecuteAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var answered = $"upstream answered {(int)response.StatusCode}";
                span.MarkFailed(answered);
                return UpstreamResult.Failed(Results.Problem(statusCode: StatusCodes.Status502BadGateway, detail: $"The {answered}."), answered);
            }

            return UpstreamResult.Succeeded(await BoundedContent.ReadAsync(response, options.MaxResponseBytes, timeout.Token));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            var message = $"{masker.Mask(url)} did not answer within modules.examples.config.call_timeout_ms ({options.CallTimeoutMs} ms)";
            span.MarkFailed(message);
            return UpstreamResult.Failed(Results.Problem(statusCode: StatusCodes.Status504GatewayTimeout, detail: $"The upstream {message}."), message, "timeout");
        }
        catch (ResponseTooLargeException ex)
        {
            span.MarkFailed(ex.Message);
            return UpstreamResult.Failed(Results.Problem(statusCode: StatusCodes.Status502BadGateway, detail: $"The upstream's answer was refused: {ex.Message}."), ex.Message);
        }
        catch (HttpRequestException ex)
        {
            span.MarkFailed(ex);
            return UpstreamResult.Failed(Results.Problem(statusCode: StatusCodes.Status502BadGateway, detail: "The upstream could not be reached."), ex.Message);
        }
    }

    private sealed record UpstreamResult(byte[]? Body, IResult? Failure, string? Error, string Outcome)
    {
        public static UpstreamResult Succeeded(byte[] body) => new(body, null, null, "ok");

        public static UpstreamResult Failed(IResult failure, string error, string outcome = "error") => new(null, failure, error, outcome);
    }
}
