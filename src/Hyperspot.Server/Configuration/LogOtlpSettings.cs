namespace Hyperspot.Server.Configuration;

/// <summary>The <c>logging.otlp</c> section.</summary>
public sealed class LogOtlpSettings
{
    public bool Enabled { get; init; }
}
