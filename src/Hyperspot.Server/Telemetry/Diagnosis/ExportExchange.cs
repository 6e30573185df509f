namespace Hyperspot.Server.Telemetry.Diagnosis;

/// <summary>
/// One export request as the exporter's own HttpClient saw it: where it went and what came back (an answer, a
/// failure to connect, or no answer in time). Texts are raw, as the backend sent them: mask and escape them
/// (<see cref="ShownText"/>) before they are shown.
/// </summary>
public sealed record ExportExchange
{
    public required Uri Url { get; init; }

    /// <summary>True for OTLP/gRPC (HTTP/2, <c>application/grpc</c>), false for OTLP/HTTP.</summary>
    public required bool Grpc { get; init; }

    /// <summary>Whether the request carried a gzip-compressed body.</summary>
    public bool Compressed { get; init; }

    /// <summary>From the request leaving until the answer was read or the request failed.</summary>
    public TimeSpan Elapsed { get; init; }

    public int? HttpStatus { get; init; }

    public string? ReasonPhrase { get; init; }

    public string? ContentType { get; init; }

    /// <summary>The <c>grpc-status</c> of the answer, from its headers or trailers; null without one.</summary>
    public int? GrpcStatus { get; init; }

    /// <summary>The <c>grpc-message</c>, percent-decoded.</summary>
    public string? GrpcMessage { get; init; }

    /// <summary>A failed answer's message: a <c>google.rpc.Status</c> message or the start of a text body.</summary>
    public string? Body { get; init; }

    /// <summary>How many items the backend rejected in an otherwise successful answer (OTLP partial success).</summary>
    public long RejectedItems { get; init; }

    /// <summary>The backend's reason for a partial success, if it gave one.</summary>
    public string? RejectionMessage { get; init; }

    /// <summary>The <c>Location</c> of a redirect answer.</summary>
    public string? Location { get; init; }

    /// <summary>Why no answer was read: the connection, TLS or HTTP/2 failure as .NET reported it.</summary>
    public Exception? Error { get; init; }

    /// <summary>True when the request was given up for lack of an answer (the exporter's timeout).</summary>
    public bool TimedOut { get; init; }

    /// <summary>
    /// True when the backend answered and the answer says the export was accepted (perhaps partly). A web page is no
    /// such answer, whatever its status: a UI's port answers a POST with one.
    /// </summary>
    public bool Accepted =>
        Error is null && !TimedOut && HttpStatus is >= 200 and < 300
        && (Grpc ? GrpcStatus == 0 && IsGrpcContent : !IsWebPage);

    /// <summary>True when the answer is HTML.</summary>
    public bool IsWebPage => ContentType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>True when the answer's content type is gRPC's.</summary>
    public bool IsGrpcContent => ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
}
