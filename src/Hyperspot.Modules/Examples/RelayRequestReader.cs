using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Examples;

/// <summary>
/// Reads and checks a relay body before any call is made: <c>application/json</c> (else 415), at most
/// <c>relay_max_body_bytes</c> (else 413), well-formed JSON nested at most <see cref="MaxDepth"/> levels, an array of
/// at most <c>relay_max_calls</c> objects <c>{"url": "...", "arguments": ...}</c> whose url is an absolute http(s)
/// URL on an allowed host (else 400). Every refusal names what is wrong: the element, the property, the limit.
/// </summary>
public sealed class RelayRequestReader(IOptions<ExamplesOptions> options, RelayHosts hosts)
{
    private readonly ExamplesOptions _options = options.Value;

    public const int MaxDepth = 32;
    private const string Config = "modules.examples.config.";
    private const string Shape = "a JSON array of {\"url\": \"http://...\", \"arguments\": <any JSON>}";

    public async Task<RelayRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            var type = string.IsNullOrEmpty(request.ContentType) ? "none" : $"'{Printable(request.ContentType, 100)}'";
            return RelayRequest.Refused(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", $"The body must be application/json (content type: {type}).");
        }

        var limit = _options.RelayMaxBodyBytes;
        var tooLarge = RelayRequest.Refused(
            StatusCodes.Status413PayloadTooLarge,
            "Payload Too Large",
            $"The body is larger than {Config}relay_max_body_bytes ({limit} bytes).");
        if (request.ContentLength > limit)
        {
            return tooLarge;
        }

        var body = await ReadBodyAsync(request.Body, limit, cancellationToken);
        if (body is null)
        {
            return tooLarge;
        }

        if (CheckSyntax(body) is { } syntaxError)
        {
            return Invalid(syntaxError);
        }

        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth + 1 });
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
        {
            return Invalid($"The body must be {Shape}; got {Describe(root.ValueKind)}.");
        }

        var count = root.GetArrayLength();
        if (count > _options.RelayMaxCalls)
        {
            return Invalid($"The body asks for {count} calls; {Config}relay_max_calls allows at most {_options.RelayMaxCalls}.");
        }

        var calls = new List<RelayCall>(count);
        var index = 0;
        foreach (var element in root.EnumerateArray())
        {
            var (call, error) = ReadCall(element, $"[{index}]");
            if (error is not null)
            {
                return Invalid(error);
            }

            calls.Add(call!);
            index++;
        }

        return RelayRequest.Accepted(calls);
    }

    private (RelayCall? Call, string? Error) ReadCall(JsonElement element, string at)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return (null, $"{at} must be an object {{\"url\": ..., \"arguments\": ...}}; got {Describe(element.ValueKind)}.");
        }

        JsonElement? url = null;
        JsonElement? arguments = null;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "url" when url is null:
                    url = property.Value;
                    break;
                case "arguments" when arguments is null:
                    arguments = property.Value;
                    break;
                case "url" or "arguments":
                    return (null, $"{at} has \"{property.Name}\" twice.");
                default:
                    return (null, $"{at} has an unknown property \"{Printable(property.Name, 64)}\" (expected url and arguments).");
            }
        }

        if (url is not { ValueKind: JsonValueKind.String } text)
        {
            return (null, url is null ? $"{at}.url is missing." : $"{at}.url must be a string; got {Describe(url.Value.ValueKind)}.");
        }

        if (arguments is null)
        {
            return (null, $"{at}.arguments is missing (use null to send a JSON null).");
        }

        if (!Uri.TryCreate(text.GetString(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return (null, $"{at}.url must be an absolute http:// or https:// URL.");
        }

        if (!hosts.Allows(uri))
        {
            return (null, $"{at}.url: host '{uri.IdnHost}' is not in {RelayHosts.ConfigPath}.");
        }

        return (new RelayCall(uri, arguments.Value.Clone()), null);
    }

    /// <summary>Null when the body is well-formed JSON nested at most <see cref="MaxDepth"/> deep; otherwise why not.</summary>
    private static string? CheckSyntax(byte[] body)
    {
        if (body.Length == 0)
        {
            return $"The body is empty; it must be {Shape}.";
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth + 1 });
        try
        {
            while (reader.Read())
            {
                if ((reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject) && reader.CurrentDepth >= MaxDepth)
                {
                    return $"The body is nested deeper than {MaxDepth} levels (at byte {reader.TokenStartIndex}).";
                }
            }

            return null;
        }
        catch (JsonException ex)
        {
            return $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).";
        }
    }

    /// <summary>The whole body, or null once it passes <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static RelayRequest Invalid(string detail) =>
        RelayRequest.Refused(StatusCodes.Status400BadRequest, "Bad Request", detail);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "a boolean",
    };

    private static string Printable(string text, int max)
    {
        var shown = text.Length > max ? text[..max] + "..." : text;
        return new string(shown.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}

/// <summary>A relay body read: the calls to make, or the answer refusing it.</summary>
public sealed record RelayRequest(IReadOnlyList<RelayCall> Calls, int Status, string? Title, string? Detail)
{
    public bool IsAccepted => Status == 0;

    public static RelayRequest Accepted(IReadOnlyList<RelayCall> calls) => new(calls, 0, null, null);

    public static RelayRequest Refused(int status, string title, string detail) => new([], status, title, detail);
}
