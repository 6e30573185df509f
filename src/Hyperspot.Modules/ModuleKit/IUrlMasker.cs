namespace Hyperspot.Modules.ModuleKit;

/// <summary>
/// Masks the secrets of a URL before a module prints it in an answer or a log line: credentials
/// (<c>user:password@</c>) and query values. The host registers it for every module, with the same masking it uses
/// for its own log lines and errors.
/// </summary>
public interface IUrlMasker
{
    string Mask(string url);
}
