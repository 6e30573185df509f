using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Examples;

/// <summary>
/// <c>POST /examples/v1/relay</c>: checks the whole body first (<see cref="RelayRequestReader"/>), then POSTs each
/// call's arguments in order. Each call has <c>call_timeout_ms</c> for its answer and body; one that runs out ends
/// the relay with 504 naming its URL (secrets masked). A call that cannot be made, or whose answer is longer than
/// <c>max_response_bytes</c>, is status 0 with its error listed; a redirect is not followed, its 3xx is the status.
/// </summary>
public static class RelayEndpoint
{
    public static async Task<IResult> Handle(
        HttpContext http,
        ExamplesClients clients,
        IOptions<ExamplesOptions> options,
        RelayRequestReader reader,
        IUrlMasker masker,
        ILogger<ExamplesModule> logger)
    {
        var request = await reader.ReadAsync(http.Request, http.RequestAborted);
        if (!request.IsAccepted)
        {
            return Results.Problem(statusCode: request.Status, title: request.Title, detail: request.Detail);
        }

        var limits = options.Value;
        var client = clients.Relay;
        var statuses = new List<int>();
        var errors = new List<RelayError>();
        foreach (var call in request.Calls)
        {
            var index = statuses.Count;
            var url = masker.Mask(call.Url.AbsoluteUri);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            timeout.CancelAfter(limits.CallTimeout);
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, call.Url) { Content = JsonContent.Create(call.Arguments) };
                using var response = await client.ExecuteAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                await BoundedContent.DrainAsync(response, limits.MaxResponseBytes, timeout.Token);
                statuses.Add((int)response.StatusCode);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
            {
                logger.LogWarning("Relay call to {Url} (call [{Index}]) did not finish within {TimeoutMs} ms", url, index, limits.CallTimeoutMs);
                return Results.Problem(
                    statusCode: StatusCodes.Status504GatewayTimeout,
                    detail: $"Call [{index}] to {url} did not finish within modules.examples.config.call_timeout_ms ({limits.CallTimeoutMs} ms); the calls after it were not made.");
            }
            catch (Exception ex) when (ex is HttpRequestException or ResponseTooLargeException)
            {
                var error = Describe(ex);
                logger.LogWarning("Relay call to {Url} (call [{Index}]) failed: {Error}", url, index, error);
                statuses.Add(0);
                errors.Add(new RelayError(index, url, error));
            }
        }

        return Results.Json(new RelayAnswer(statuses.Count, statuses, errors));
    }

    private static string Describe(Exception ex) => ex switch
    {
        ResponseTooLargeException tooLarge => tooLarge.Message,
        { InnerException: RelayHostRefusedException refused } => "refused when connecting: " + refused.Message,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "could not connect",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "the host name did not resolve",
        HttpRequestException http => $"the call failed ({http.HttpRequestError})",
        _ => "the call failed",
    };
}
