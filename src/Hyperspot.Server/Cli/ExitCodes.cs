namespace Hyperspot.Server.Cli;

public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>
    /// The server failed while running (for example, its port was taken), or <c>check --exporter</c> found that the
    /// backend did not accept the test span (or that none would be sent).
    /// </summary>
    public const int Failure = 1;

    /// <summary>The command line or the configuration is wrong; nothing was started.</summary>
    public const int InvalidConfiguration = 2;
}
