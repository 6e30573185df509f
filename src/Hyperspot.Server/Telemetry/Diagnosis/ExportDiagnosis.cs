namespace Hyperspot.Server.Telemetry.Diagnosis;

/// <summary>What went wrong with an export, as far as the answer (or its absence) tells.</summary>
public enum ExportProblem
{
    None,
    PartlyRejected,
    NothingListening,
    HostNotFound,
    Unreachable,
    TimedOut,
    ConnectionClosed,
    ExpectsTls,
    NotTls,
    UntrustedCertificate,
    TlsFailed,
    HttpPortForGrpc,
    GrpcPortForHttp,
    NotOtlp,
    Credentials,
    Forbidden,
    NotFound,
    Redirect,
    Throttled,
    Unavailable,
    TooLarge,
    Rejected,
    BackendFailed,
    Failed,
}

/// <summary>
/// The verdict on one export: <see cref="Cause"/> says in words what most likely happened and what to do, the same
/// words for <c>check --exporter</c> and for the running server's warning; <see cref="Detail"/> is what was
/// observed (status, the backend's message, the network error), already masked and escaped.
/// </summary>
public sealed record ExportDiagnosis(ExportProblem Problem, string Cause, string? Detail)
{
    public bool Accepted => Problem is ExportProblem.None or ExportProblem.PartlyRejected;

    public override string ToString() => Detail is null ? Cause : $"{Cause} ({Detail})";
}

/// <summary>What a second look at the port found, when the export's own answer left the protocol in doubt.</summary>
public enum PortFinding
{
    /// <summary>Not looked at, or nothing learned.</summary>
    Unknown,

    /// <summary>The port completed a TLS handshake although the endpoint is <c>http://</c>.</summary>
    SpeaksTls,

    /// <summary>The port answered plain HTTP although the endpoint is <c>https://</c>.</summary>
    SpeaksPlainHttp,

    /// <summary>The port accepted an empty export over OTLP/HTTP although the kind is <c>otlp_grpc</c>.</summary>
    AcceptsOtlpHttp,

    /// <summary>The port answered an empty export over gRPC although the kind is <c>otlp_http</c>.</summary>
    AcceptsOtlpGrpc,
}
