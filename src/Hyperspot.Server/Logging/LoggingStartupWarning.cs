namespace Hyperspot.Server.Logging;

/// <summary>A warning found while setting logging up, logged once the logger exists.</summary>
public sealed record LoggingStartupWarning(string Message);
